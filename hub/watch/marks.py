"""The watchers' marks: which version of each agency record was seen, kept in the hub's
database (``watch_marks``) so that restarts and other hub processes agree on it.

:meth:`MarkStore.record` takes the fingerprints of everything an agency lists now and
says which records are new and which changed, *and* marks them seen, in one
transaction. Several hub processes may record the same listing at once over one
PostgreSQL database: a record is reported by the one process whose statement wrote
its new mark (``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for new records, ``INSERT
... ON CONFLICT DO UPDATE ... WHERE the fingerprint differs RETURNING`` for changed
ones), so each version of a record is reported once in all.

The first look at an agency's capability takes a baseline: every record found is
marked and none reported, so a first start does not announce the whole listing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hub.watch.models import BASELINE_ID, FINGERPRINT_LENGTH, WatchMark

CHUNK = 500
"""Most records per statement, well below the drivers' limits on parameters."""

BASELINE_FINGERPRINT = "baseline"


@dataclass(frozen=True, slots=True)
class Marked:
    """What recording a listing found: the ids of new and of changed records (in the
    order given), or that this was the first look, a baseline that reports nothing."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    baseline: bool = False


class MarkStore:
    """The marks in the hub's database at ``engine`` (SQLite or PostgreSQL)."""

    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(
                f"watch marks need SQLite or PostgreSQL, not {engine.dialect.name}; "
                "see HUB_DATABASE_URL"
            )
        self.engine = engine

    async def record(
        self,
        agency: str,
        capability: str,
        fingerprints: Mapping[str, str],
        *,
        listed_at: datetime | None = None,
    ) -> Marked:
        """Mark the records listed (``fingerprints``: record id → fingerprint) as seen,
        and return those this call found new or changed; see the module's docstring.

        ``listed_at`` is when the listing was asked for (default: now): a mark set by a
        later listing is not changed by an earlier one that arrives after it."""
        for record_id, value in fingerprints.items():
            if record_id == BASELINE_ID or not 0 < len(value) <= FINGERPRINT_LENGTH:
                raise ValueError(
                    f"record {record_id!r} of {agency}/{capability}: ids must not be empty and "
                    f"fingerprints must have 1 to {FINGERPRINT_LENGTH} characters"
                )
        known = await self._known(agency, capability, list(fingerprints))
        absent = [rid for rid in fingerprints if rid not in known]
        differing = [
            rid for rid in fingerprints if rid in known and known[rid] != fingerprints[rid]
        ]
        if BASELINE_ID in known and not absent and not differing:
            return Marked()
        marks = _Marks(agency, capability, fingerprints, listed_at or datetime.now(UTC))
        async with self.engine.begin() as connection:
            if BASELINE_ID not in known and await marks.take_baseline(connection):
                await marks.insert_new(connection, list(fingerprints))
                return Marked(baseline=True)
            inserted = set(await marks.insert_new(connection, absent))
            # Absent when read but not inserted: another process marked them meanwhile.
            again = [rid for rid in absent if rid not in inserted]
            updated = set(await marks.update_changed(connection, [*again, *differing]))
        return Marked(
            new=tuple(rid for rid in fingerprints if rid in inserted),
            changed=tuple(rid for rid in fingerprints if rid in updated),
        )

    async def fingerprints(self, agency: str, capability: str) -> dict[str, str]:
        """Every record's last seen fingerprint for ``agency``'s ``capability``."""
        table = WatchMark.__table__.c
        statement = select(table.record_id, table.fingerprint).where(
            table.agency == agency,
            table.capability == capability,
            table.record_id != BASELINE_ID,
        )
        async with self.engine.connect() as connection:
            return {str(rid): str(value) for rid, value in await connection.execute(statement)}

    async def _known(self, agency: str, capability: str, ids: Sequence[str]) -> dict[str, str]:
        """The marks of ``ids`` and of the baseline, as record id → fingerprint."""
        table = WatchMark.__table__.c
        known: dict[str, str] = {}
        async with self.engine.connect() as connection:
            for chunk in _chunks([BASELINE_ID, *ids]):
                rows = await connection.execute(
                    select(table.record_id, table.fingerprint).where(
                        table.agency == agency,
                        table.capability == capability,
                        table.record_id.in_(chunk),
                    )
                )
                known.update((str(rid), str(value)) for rid, value in rows)
        return known


@dataclass(frozen=True, slots=True)
class _Marks:
    """The statements that write one listing's marks."""

    agency: str
    capability: str
    fingerprints: Mapping[str, str]
    seen_at: datetime

    async def take_baseline(self, connection: AsyncConnection) -> bool:
        """Mark that the first look was taken; ``False`` if another process did first."""
        statement = (
            _insert(connection)
            .values(self._row(BASELINE_ID, BASELINE_FINGERPRINT))
            .on_conflict_do_nothing(index_elements=_KEY)
            .returning(WatchMark.record_id)
        )
        return (await connection.execute(statement)).first() is not None

    async def insert_new(self, connection: AsyncConnection, ids: Sequence[str]) -> list[str]:
        """Mark ``ids`` unless marked already; the ids this statement inserted."""
        inserted: list[str] = []
        for chunk in _chunks(ids):
            statement = (
                _insert(connection)
                .values([self._row(rid, self.fingerprints[rid]) for rid in chunk])
                .on_conflict_do_nothing(index_elements=_KEY)
                .returning(WatchMark.record_id)
            )
            inserted.extend(str(rid) for rid in (await connection.execute(statement)).scalars())
        return inserted

    async def update_changed(self, connection: AsyncConnection, ids: Sequence[str]) -> list[str]:
        """Give ``ids`` their new fingerprints where they differ; the ids updated."""
        updated: list[str] = []
        for chunk in _chunks(ids):
            insert = _insert(connection).values(
                [self._row(rid, self.fingerprints[rid]) for rid in chunk]
            )
            statement = insert.on_conflict_do_update(
                index_elements=_KEY,
                set_={
                    "fingerprint": insert.excluded.fingerprint,
                    "seen_at": insert.excluded.seen_at,
                },
                # A listing taken before the one that set the mark (another process's,
                # slower) is older news: it neither changes the mark nor is published.
                where=(WatchMark.fingerprint != insert.excluded.fingerprint)
                & (WatchMark.seen_at < insert.excluded.seen_at),
            ).returning(WatchMark.record_id)
            updated.extend(str(rid) for rid in (await connection.execute(statement)).scalars())
        return updated

    def _row(self, record_id: str, value: str) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "capability": self.capability,
            "record_id": record_id,
            "fingerprint": value,
            "seen_at": self.seen_at,
        }


_KEY = ["agency", "capability", "record_id"]


def _insert(connection: AsyncConnection) -> postgresql.Insert | sqlite.Insert:
    """An ``INSERT`` into ``watch_marks`` in the dialect of ``connection``, which both
    know ``ON CONFLICT`` and ``RETURNING``."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(WatchMark)
    return sqlite.insert(WatchMark)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


__all__ = ["CHUNK", "MarkStore", "Marked"]
