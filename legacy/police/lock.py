"""The fault knobs of an SQLite Occurrence Book: ``down`` locks the database file.

SQLite has no network to slow down or cut, so ``down`` is what a stuck batch job
does to the real file: it holds an exclusive lock, and every reader fails with
"database is locked" once its busy timeout runs out. ``latency``, ``error_rate`` and
``fail_next`` need a network database and are refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from legacy.faults import Faults

NETWORK_ONLY = (
    "{knob} needs a network database: SQLite has no connection to slow down or drop; "
    "run the police stand-in on PostgreSQL instead "
    "(e.g. --database postgresql+asyncpg://postgres@127.0.0.1:5432/police)"
)


class SqliteLock:
    """Holds an exclusive lock on the SQLite database at ``path`` while the knobs say down.

    :meth:`apply` is a :class:`~legacy.faults.Faults` listener; a ``ValueError`` it
    raises refuses the knobs. ``wait`` is how long to wait for readers to finish
    before locking.
    """

    def __init__(self, path: Path, wait: float = 5.0) -> None:
        self.path = path
        self.wait = wait
        self._holder: sqlite3.Connection | None = None

    @property
    def held(self) -> bool:
        """Whether the lock is held now."""
        return self._holder is not None

    def apply(self, knobs: Faults) -> None:
        """Refuse the network knobs; take or release the lock as ``down`` says."""
        for knob in ("latency", "error_rate", "fail_next"):
            if getattr(knobs, knob):
                raise ValueError(NETWORK_ONLY.format(knob=knob))
        if knobs.down:
            self.acquire()
        else:
            self.release()

    def acquire(self) -> None:
        """Take the exclusive lock (no-op if held); ``ValueError`` if it cannot."""
        if self._holder is not None:
            return
        holder = sqlite3.connect(
            self.path, timeout=self.wait, isolation_level=None, check_same_thread=False
        )
        try:
            mode = holder.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                raise ValueError(
                    f"{self.path} uses write-ahead logging, where readers are never locked "
                    "out; switch it back with PRAGMA journal_mode=DELETE to use the down knob"
                )
            holder.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as exc:
            holder.close()
            raise ValueError(f"cannot lock {self.path}: {exc}; retry once readers finish") from exc
        except ValueError:
            holder.close()
            raise
        self._holder = holder

    def release(self) -> None:
        """Give the lock back (no-op if not held)."""
        if self._holder is None:
            return
        holder, self._holder = self._holder, None
        try:
            holder.execute("ROLLBACK")
        finally:
            holder.close()
