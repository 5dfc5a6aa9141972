"""The gateway: guarded calls to agencies, fan-out, merge, filters, pagination, and
records by id, many at once."""

from __future__ import annotations

from hub.gateway.by_id import Found, records_by_id
from hub.gateway.fanout import ORDER, QUERY_TYPES, Collected, Gateway, Listing, Sourced
from hub.gateway.filters import Record, matches
from hub.gateway.guard import ConnectorFailed, Guard
from hub.gateway.pagination import Page, SortKey, decode_cursor, encode_cursor, paginate

__all__ = [
    "ORDER",
    "QUERY_TYPES",
    "Collected",
    "ConnectorFailed",
    "Found",
    "Gateway",
    "Guard",
    "Listing",
    "Page",
    "Record",
    "SortKey",
    "Sourced",
    "decode_cursor",
    "encode_cursor",
    "matches",
    "paginate",
    "records_by_id",
]
