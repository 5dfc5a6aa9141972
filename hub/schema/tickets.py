"""Tickets in the graph: citizens submit and follow them, agency staff work them.

Resolvers stay thin: they check who asks, call the ticket store (:mod:`hub.tickets`)
bound to the request, and show its answer as the caller may see it
(:mod:`hub.schema.tickets_types`). The store checks every value before it writes and
audits every change; a hub without ticket routing answers ``TICKETS_UNAVAILABLE``.

==========================  =============================================
anyone                      ``submitTicket``, ``ticket(trackingNumber)``
the ticket's owner          ``myTickets``, ``rateTicket``, ``reopenTicket``
its agency's staff, admins  ``acknowledgeTicket``, ``commentOnTicket``,
                            ``setTicketStatus``, ``reassignTicket``,
                            ``agencyTickets``
admins, staff (own agency)  ``ticketStatistics``
==========================  =============================================
"""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from hub.errors import InvalidInput, NotFound
from hub.identity import Role, require_agency_staff, require_authenticated, require_role
from hub.schema.agencies import Info
from hub.schema.tickets_access import audited_read, record_read, store_of
from hub.schema.tickets_enums import AgencySort, TicketStatus
from hub.schema.tickets_inputs import (
    AgencyTicketsFilter,
    MyTicketsFilter,
    SubmitTicketInput,
    in_input,
)
from hub.schema.tickets_types import Ticket, TicketConnection, connection_of, ticket_of

TrackingNumber = Annotated[
    str, strawberry.argument(description="The ticket's tracking number, e.g. CH-2026-004217.")
]
First = Annotated[int, strawberry.argument(description="How many tickets, 0 to 100.")]
After = Annotated[
    str | None,
    strawberry.argument(description="The endCursor of the previous page; omit for the first."),
]


@strawberry.enum(description="The statuses staff set with setTicketStatus.")
class SettableTicketStatus(enum.Enum):
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"


@strawberry.type(description="The outcome of submitTicket.")
class SubmitTicketPayload:
    ticket: Ticket = strawberry.field(
        description="The stored ticket, with its tracking number; the submitter sees what they "
        "sent, even when anonymous."
    )


@strawberry.type
class TicketQueries:
    @strawberry.field(
        description="A ticket by its tracking number; null if no ticket has it. Anyone may "
        "follow a ticket; its personal fields are filled only for its owner, staff of its "
        "agency and admins (and such reads are audited)."
    )
    async def ticket(self, info: Info, tracking_number: TrackingNumber) -> Ticket | None:
        store = store_of(info)
        try:
            view = await store.get_by_tracking_number(tracking_number)
        except NotFound:
            return None
        shown = ticket_of(info, view)
        if shown.personal_data_visible:
            await record_read(info, object_id=view.tracking_number, agency=view.agency)
        return shown

    @strawberry.field(
        description="The caller's own tickets, newest first. Citizens (and admins) only: "
        "UNAUTHENTICATED without a token."
    )
    async def my_tickets(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        filter: Annotated[
            MyTicketsFilter | None, strawberry.argument(description="Which tickets to list.")
        ] = None,
    ) -> TicketConnection | None:
        caller = info.context.caller
        wanted = filter or MyTicketsFilter()
        async with audited_read(info, object_id=caller.subject, agency=None):
            require_role(caller, Role.CITIZEN)
            assert caller.subject is not None
            page = await store_of(info).list_for_owner(
                caller.subject, status=wanted.status, kind=wanted.kind, first=first, after=after
            )
        return connection_of(info, page, after)

    @strawberry.field(
        description="An agency's ticket queue, for its staff (resolver tokens of that agency) "
        "and admins; FORBIDDEN for anyone else."
    )
    async def agency_tickets(
        self,
        info: Info,
        agency: Annotated[str, strawberry.argument(description="The agency's key, e.g. police.")],
        first: First = 20,
        after: After = None,
        sort: Annotated[
            AgencySort,
            strawberry.argument(description="The order; a cursor is valid in its own order only."),
        ] = AgencySort.DUE_DATE,
        filter: Annotated[
            AgencyTicketsFilter | None, strawberry.argument(description="Which tickets to list.")
        ] = None,
    ) -> TicketConnection | None:
        wanted = filter or AgencyTicketsFilter()
        registry = info.context.registry
        if agency not in registry:
            known = ", ".join(registry.ids)
            raise InvalidInput("agency", f"unknown agency {agency!r}; known agencies: {known}")
        async with audited_read(info, object_id=agency, agency=agency):
            require_agency_staff(info.context.caller, agency)
            page = await store_of(info).list_for_agency(
                agency, sort=sort, status=wanted.statuses(), first=first, after=after
            )
        return connection_of(info, page, after)


@strawberry.type
class TicketMutations:
    @strawberry.mutation(
        description="Submit a ticket. Anyone may: a citizen's token makes them its owner; an "
        "anonymous ticket (sent without a token; a token that is not accepted is "
        "UNAUTHENTICATED) is followed by its tracking number alone. The ticket is checked "
        "(BAD_USER_INPUT naming the input field, nothing stored), routed, and stored at once. "
        "Files go in attachments, sent as a multipart request (POST only); a file refused is "
        "ATTACHMENT_NOT_ALLOWED, ATTACHMENT_TOO_LARGE or TOO_MANY_ATTACHMENTS, and nothing "
        "is stored."
    )
    async def submit_ticket(
        self,
        info: Info,
        input: Annotated[SubmitTicketInput, strawberry.argument(description="The ticket.")],
    ) -> SubmitTicketPayload | None:
        caller = info.context.caller
        if caller.problem is not None:
            # A citizen whose token lapsed would otherwise lose their ticket to anonymity.
            require_authenticated(caller)
        store = store_of(info)
        try:
            view = await store.submit(
                input.to_new_ticket(),
                caller,
                idempotency_key=input.idempotency_key,
                attachments=input.uploaded_files(),
            )
        except InvalidInput as exc:
            raise in_input(exc) from None
        return SubmitTicketPayload(ticket=ticket_of(info, view, personal=True))

    @strawberry.mutation(
        description="Rate a RESOLVED, REJECTED or CLOSED ticket, once. Its owner only."
    )
    async def rate_ticket(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        score: Annotated[int, strawberry.argument(description="From 1 (poor) to 5 (excellent).")],
        comment: Annotated[
            str | None, strawberry.argument(description="What went well or badly.")
        ] = None,
    ) -> Ticket | None:
        view = await store_of(info).rate(tracking_number, info.context.caller, score, comment)
        return ticket_of(info, view)

    @strawberry.mutation(
        description="Reopen a RESOLVED ticket within the reopen window after its resolution, "
        "saying why; the agency gets a new resolution deadline. Its owner only."
    )
    async def reopen_ticket(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        reason: Annotated[str, strawberry.argument(description="Why it is not resolved.")],
    ) -> Ticket | None:
        view = await store_of(info).reopen(tracking_number, info.context.caller, reason)
        return ticket_of(info, view)

    @strawberry.mutation(
        description="Acknowledge a RECEIVED or REOPENED ticket: the agency's first answer. "
        "Staff of its agency and admins."
    )
    async def acknowledge_ticket(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        message: Annotated[
            str | None, strawberry.argument(description="A word to the citizen (public).")
        ] = None,
    ) -> Ticket | None:
        view = await store_of(info).acknowledge(tracking_number, info.context.caller, message)
        return ticket_of(info, view)

    @strawberry.mutation(
        description="Comment on a ticket: public comments are the citizen's to read (and count "
        "as the agency's first answer), the others only staff see. Staff of its agency and "
        "admins."
    )
    async def comment_on_ticket(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        message: Annotated[str, strawberry.argument(description="The comment.")],
        public: Annotated[bool, strawberry.argument(description="Whether the citizen sees it.")],
    ) -> Ticket | None:
        view = await store_of(info).comment(
            tracking_number, info.context.caller, message, public=public
        )
        return ticket_of(info, view)

    @strawberry.mutation(
        description="Move a ticket to IN_PROGRESS, RESOLVED (with its resolution) or REJECTED "
        "(with the reason). Staff of its agency and admins."
    )
    async def set_ticket_status(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        status: Annotated[SettableTicketStatus, strawberry.argument(description="The status.")],
        resolution: Annotated[
            str | None,
            strawberry.argument(description="What was done; required for RESOLVED (public)."),
        ] = None,
        reason: Annotated[
            str | None,
            strawberry.argument(description="Why not; required for REJECTED (public)."),
        ] = None,
    ) -> Ticket | None:
        view = await store_of(info).set_status(
            tracking_number,
            info.context.caller,
            TicketStatus(status.value),
            resolution=resolution,
            reason=reason,
        )
        return ticket_of(info, view)

    @strawberry.mutation(
        description="Hand an open ticket to another agency, saying why: it starts again there "
        "(RECEIVED, with that agency's deadlines), and its priority never drops. Staff of its "
        "current agency and admins."
    )
    async def reassign_ticket(
        self,
        info: Info,
        tracking_number: TrackingNumber,
        agency: Annotated[str, strawberry.argument(description="The new agency's key.")],
        reason: Annotated[str, strawberry.argument(description="Why it goes there (public).")],
        category: Annotated[
            str | None,
            strawberry.argument(
                description="Its category there; without it the hub picks one from the text."
            ),
        ] = None,
    ) -> Ticket | None:
        view = await store_of(info).reassign(
            tracking_number, info.context.caller, agency, reason, category=category
        )
        return ticket_of(info, view)


__all__ = ["SettableTicketStatus", "SubmitTicketPayload", "TicketMutations", "TicketQueries"]
