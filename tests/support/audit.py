"""An audit log in a list, for tests of fields that audit their accesses."""

from __future__ import annotations

from hub.audit.entry import AuditEntry


class AuditRecorder:
    """Keeps every :class:`~hub.audit.entry.AuditEntry` it is given, in order."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def outcomes(self) -> list[tuple[str, str | None, str]]:
        """``(field, object id, outcome)`` of every entry."""
        return [(entry.field, entry.object_id, entry.outcome) for entry in self.entries]
