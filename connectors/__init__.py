"""Connector plugins of the demo agencies, one package each.

Each registers under the entry-point group ``hub.connectors`` and imports nothing of
the hub but :mod:`hub.connector`.
"""
