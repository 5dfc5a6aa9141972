"""Global IDs: ``Type:agency:localId``, stable and readable."""

from __future__ import annotations

from dataclasses import dataclass

from hub.connector import InvalidInput


@dataclass(frozen=True, slots=True)
class GlobalId:
    """The parts of a global ID; the local id may itself contain colons."""

    type_name: str
    agency: str
    local_id: str

    def __str__(self) -> str:
        return f"{self.type_name}:{self.agency}:{self.local_id}"

    @classmethod
    def parse(cls, value: str, argument: str = "id") -> GlobalId:
        """Split ``value``; :class:`InvalidInput` when it is not a global ID."""
        parts = value.split(":", 2)
        if len(parts) != 3 or not all(parts):
            raise InvalidInput(
                argument,
                f"{value!r} is not a global ID; expected Type:agency:localId, "
                "e.g. Service:revenue:RA-SVC-001",
            )
        return cls(*parts)


def global_id(type_name: str, agency: str, local_id: str) -> str:
    """The global ID of a record."""
    return str(GlobalId(type_name, agency, local_id))


__all__ = ["GlobalId", "global_id"]
