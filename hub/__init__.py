"""Citizen Hub: one GraphQL access point over the legacy systems of government agencies."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
