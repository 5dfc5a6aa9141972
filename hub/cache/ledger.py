"""What one response was built from: the ledger the whole-response cache decides by.

While the hub answers a request that may be cached whole, an :class:`AnswerLedger` is
current (:func:`recording`). The answer cache notes in it every agency answer the
response reads and how much longer that answer stays fresh, and anything that makes
the response unfit to keep (an answer not cached, a stale one, a failure, a field
that is not public). The ledger is a context variable so that it follows the request
into the tasks execution starts (fan-out, DataLoaders) without the layers in between
passing it along; outside such a request there is none and noting is a no-op.

Fail safe: a ledger is cacheable only when the response is known to be public and at
least one answer was noted; the response may then live as long as the answer that
goes stale first.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_CURRENT: ContextVar[AnswerLedger | None] = ContextVar("hub_answer_ledger", default=None)


@dataclass(slots=True)
class AnswerLedger:
    """The agencies a response read answers of, and why it may not be kept, if so."""

    agencies: set[str] = field(default_factory=set)
    """The agencies whose answers the response was built from."""
    fresh_for: float = math.inf
    """Seconds until the first of those answers goes stale."""
    public: bool = False
    """Set once the operation is known to be a query reading only public fields."""
    spoiled: str | None = None
    """Why the response must not be kept; the first reason noted."""

    def answer(self, agency: str, fresh_for: float) -> None:
        """Note an answer of ``agency`` that stays fresh ``fresh_for`` more seconds."""
        self.agencies.add(agency)
        self.fresh_for = min(self.fresh_for, fresh_for)

    def spoil(self, reason: str) -> None:
        """Note that the response must not be kept, and why."""
        if self.spoiled is None:
            self.spoiled = reason

    @property
    def why_not(self) -> str | None:
        """Why the response cannot be kept, or ``None`` when it can."""
        if self.spoiled is not None:
            return self.spoiled
        if not self.public:
            return "not known to read only public data"
        if not self.agencies:
            return "read no agency's answers, so it has no time to live"
        if self.fresh_for <= 0:
            return "an answer it read is no longer fresh"
        return None


@contextmanager
def recording(ledger: AnswerLedger) -> Iterator[AnswerLedger]:
    """Make ``ledger`` the current one for the block (and the tasks it starts)."""
    token = _CURRENT.set(ledger)
    try:
        yield ledger
    finally:
        _CURRENT.reset(token)


def current_ledger() -> AnswerLedger | None:
    """The ledger of the response being built, or ``None`` outside one."""
    return _CURRENT.get()


def note_answer(agency: str, fresh_for: float) -> None:
    """Tell the current ledger, if any, of an answer of ``agency`` fresh ``fresh_for`` s more."""
    ledger = _CURRENT.get()
    if ledger is not None:
        ledger.answer(agency, fresh_for)


def note_unfit(reason: str) -> None:
    """Tell the current ledger, if any, that the response must not be kept."""
    ledger = _CURRENT.get()
    if ledger is not None:
        ledger.spoil(reason)


__all__ = ["AnswerLedger", "current_ledger", "note_answer", "note_unfit", "recording"]
