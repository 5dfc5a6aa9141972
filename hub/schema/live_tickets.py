"""``ticketUpdated``: a ticket's owner, or staff of its agency, follow it as it moves.

The subscription checks the caller's right once when it starts and again for each
update (a ticket reassigned to another agency ends its old agency's subscription),
reads the ticket as the caller may see it, and writes an audit row for each update
it sends, as for any read of the ticket's personal data.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from hub.errors import Forbidden, NotFound, Unauthenticated
from hub.events.topics import ticket_topic
from hub.schema.agencies import Info
from hub.schema.live import bus_of
from hub.schema.tickets import TrackingNumber
from hub.schema.tickets_access import audited_read, record_read, sees_personal_data, store_of
from hub.schema.tickets_types import Ticket, ticket_of
from hub.tickets import TicketView
from hub.tickets.tracking import parse_tracking_number


@strawberry.type
class TicketSubscriptions:
    @strawberry.subscription(
        description="The ticket each time it changes (status, answers, comments, SLA "
        "breaches), from now on. Its owner, staff of its agency and admins only: "
        "UNAUTHENTICATED without a token, FORBIDDEN for anyone else."
    )
    async def ticket_updated(
        self, info: Info, tracking_number: TrackingNumber
    ) -> AsyncGenerator[Ticket, None]:
        number = parse_tracking_number(tracking_number)
        async with bus_of(info).subscribe([ticket_topic(number)]) as events:
            await _followed(info, number)  # after subscribing, so no change falls between
            async for _ in events:
                view = await _followed(info, number)
                info.context.forget_loaded()
                yield ticket_of(info, view)


async def _followed(info: Info, tracking_number: str) -> TicketView:
    """The ticket, once the caller's right to follow it is checked and audited."""
    caller = info.context.caller
    try:
        if not caller.is_authenticated:
            raise Unauthenticated(
                caller.problem
                or "following a ticket needs the bearer token of its owner or of its agency's staff"
            )
        view = await store_of(info).get_by_tracking_number(tracking_number)
    except (Unauthenticated, NotFound) as refused:
        await record_read(info, object_id=tracking_number, agency=None, outcome=refused.code)
        raise
    async with audited_read(info, object_id=view.tracking_number, agency=view.agency):
        if not sees_personal_data(caller, view):
            raise Forbidden(
                f"only the owner of ticket {view.tracking_number} and staff of its agency "
                "may follow it; anyone may read its public status with the ticket query"
            )
    return view


__all__ = ["TicketSubscriptions"]
