"""The names of the bus's topics, in one place so publishers and subscribers agree."""

from __future__ import annotations

VACANCIES = "vacancies"
BIDS = "bids"
NEWS = "news"
SECURITY_ALERTS = "security-alerts"

TICKETS_SUBMITTED = "tickets-submitted"
"""Every ticket submitted: wakes the delivery workers of every hub process."""

PUBLIC_TOPICS = (VACANCIES, BIDS, NEWS, SECURITY_ALERTS)
"""Topics whose events are public data, which saved alerts may match."""


def ticket_topic(tracking_number: str) -> str:
    """Changes to one ticket: status, comments, SLA breaches."""
    return f"ticket:{tracking_number}"


def poll_topic(poll_id: int | str) -> str:
    """A poll's results after each vote."""
    return f"poll:{poll_id}"


__all__ = [
    "BIDS",
    "NEWS",
    "PUBLIC_TOPICS",
    "SECURITY_ALERTS",
    "TICKETS_SUBMITTED",
    "VACANCIES",
    "poll_topic",
    "ticket_topic",
]
