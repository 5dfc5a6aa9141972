"""Watchers: the hub looks at each agency's listings at the intervals of the agencies
file's ``watch:`` blocks, tells new and changed records from those seen before (marks
in its database, kept across restarts and shared by hub processes) and publishes each
change once on the event bus (:mod:`hub.events`): vacancies, bids, news and security
alerts.

``hub serve`` (with ``HUB_WORKERS_IN_SERVE``) and ``hub worker`` run them with
:func:`start_watchers`.
"""

from __future__ import annotations

from hub.watch.changes import Change, ChangeKind, fingerprint
from hub.watch.listings import WATCHED, WatchedListing
from hub.watch.marks import Marked, MarkStore
from hub.watch.models import WatchMark
from hub.watch.watcher import DEFAULT_BACKOFF_MAX, Watcher, WatchTarget
from hub.watch.watchers import Watchers, configured_targets, start_watchers

__all__ = [
    "DEFAULT_BACKOFF_MAX",
    "WATCHED",
    "Change",
    "ChangeKind",
    "MarkStore",
    "Marked",
    "WatchMark",
    "WatchTarget",
    "WatchedListing",
    "Watcher",
    "Watchers",
    "configured_targets",
    "fingerprint",
    "start_watchers",
]
