"""Reading the parameters of an operation's request element, with faults that say what is wrong."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from lxml import etree

from legacy.revenue.envelope import SERVICE_NS, client_fault

LOCAL_TIME = ZoneInfo("Africa/Nairobi")

Choice = TypeVar("Choice", bound=enum.StrEnum)


class RequestReader:
    """The parameters of one request element, checked against the ones it may hold."""

    def __init__(self, element: etree._Element, allowed: Sequence[str]) -> None:
        self.operation = etree.QName(element).localname
        self._values: dict[str, list[str]] = {}
        expected = ", ".join(allowed) if allowed else "no parameters"
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child)
            if name.localname not in allowed:
                raise client_fault(
                    f"{self.operation}: unexpected element {name.localname}; expected {expected}"
                )
            if name.namespace != SERVICE_NS:
                raise client_fault(
                    f"{self.operation}: element {name.localname} must be in the namespace "
                    f"{SERVICE_NS}, not {name.namespace or 'no namespace'}"
                )
            self._values.setdefault(name.localname, []).append((child.text or "").strip())

    def all(self, name: str) -> list[str]:
        """Every value of the repeated element ``name``, in order."""
        return list(self._values.get(name, []))

    def optional(self, name: str) -> str | None:
        """The value of ``name``; ``None`` when absent or empty."""
        values = self._values.get(name, [])
        if len(values) > 1:
            raise client_fault(f"{self.operation}: element {name} may appear at most once")
        return values[0] if values and values[0] else None

    def optional_datetime(self, name: str) -> datetime | None:
        """The ``xsd:dateTime`` value of ``name`` as a naive local time, or ``None``.

        A value with an offset is converted to local time; one without is local already.
        """
        text = self.optional(name)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise client_fault(
                f"{self.operation}: {name} must be an xsd:dateTime such as "
                f"2026-03-01T08:00:00, got {text!r}"
            ) from exc
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TIME).replace(tzinfo=None)
        return value

    def optional_choice(self, name: str, choices: type[Choice]) -> Choice | None:
        """The value of ``name``, one of the members of ``choices``, or ``None``."""
        text = self.optional(name)
        if text is None:
            return None
        try:
            return choices(text)
        except ValueError as exc:
            allowed = ", ".join(member.value for member in choices)
            raise client_fault(
                f"{self.operation}: {name} must be one of {allowed}, got {text!r}"
            ) from exc
