"""How the tickets part of the graph reaches the store, and who sees a ticket's personal data.

A ticket's tracking number is all anyone needs to follow it: everyone who has it sees
where the ticket stands. What the citizen wrote and who they are (the title, the
description, the address and coordinates, the contact details, their rating and the
reasons they gave) is personal data, shown only to

- the ticket's owner: the citizen whose token submitted it (an anonymous submission
  has no owner);
- staff of the agency that has the ticket now (a resolver token with that agency),
  and admins.

Every read that shows personal data writes an audit row, as do refused reads of the
ticket lists; changes are audited by the store itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from hub.errors import HubError
from hub.identity import Caller
from hub.schema.agencies import Info
from hub.schema.auditing import OK, operation_of, record_access
from hub.tickets import Origin, TicketStore, TicketView


class TicketsUnavailable(HubError):
    """This hub keeps no tickets: its agencies file has no ``ticket_routing`` block."""

    code = "TICKETS_UNAVAILABLE"


def store_of(info: Info) -> TicketStore:
    """The hub's ticket store, bound to this request for the audit rows it writes;
    :class:`TicketsUnavailable` when the hub keeps no tickets."""
    store = info.context.tickets
    if store is None:
        raise TicketsUnavailable(
            "this hub does not keep tickets: its agencies file has no 'ticket_routing' block "
            "(or the hub is still starting); ask the hub's operator to configure ticket "
            "routing (docs/tickets.md)"
        )
    origin = Origin(
        operation=operation_of(info),
        request_id=info.context.request_id,
        client=info.context.client,
    )
    return store.with_origin(origin)


def sees_personal_data(caller: Caller, ticket: TicketView) -> bool:
    """Whether ``caller`` may read ``ticket``'s personal data (see the module's docstring)."""
    owner = ticket.owner_subject is not None and caller.subject == ticket.owner_subject
    return owner or caller.is_admin or caller.resolves_for(ticket.agency)


def is_staff_of(caller: Caller, agency: str) -> bool:
    """Whether ``caller`` works on ``agency``'s tickets: its resolvers, and admins."""
    return caller.is_admin or caller.resolves_for(agency)


async def record_read(
    info: Info, *, object_id: str | None, agency: str | None, outcome: str = OK
) -> None:
    """Write the audit row of a read of ticket data by the request's caller."""
    await record_access(info, object_id=object_id, agency=agency, outcome=outcome)


@asynccontextmanager
async def audited_read(
    info: Info, *, object_id: str | None, agency: str | None
) -> AsyncIterator[None]:
    """Audit the read the block makes: ``OK``, or the code of the error it raised."""
    try:
        yield
    except HubError as exc:
        await record_read(info, object_id=object_id, agency=agency, outcome=exc.code)
        raise
    await record_read(info, object_id=object_id, agency=agency)


__all__ = [
    "TicketsUnavailable",
    "audited_read",
    "is_staff_of",
    "record_read",
    "sees_personal_data",
    "store_of",
]
