"""What a ticket shows in the graph, field by field, and to whom.

Public (anyone with the tracking number): where the ticket stands, which agency has it
and why, its deadlines and SLA state, the agency's answers and the public timeline.
Personal (its owner, staff of its agency and admins; null for everyone else, never an
error): what the citizen wrote, where exactly, how to reach them, their rating and the
reasons they gave. ``personalDataVisible`` says which of the two a caller gets.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.limits import ListSize
from hub.schema.agencies import Agency, Info, agency_by_key
from hub.schema.common import PageInfo
from hub.schema.tickets_access import is_staff_of, sees_personal_data, store_of
from hub.schema.tickets_enums import Priority, SlaState, TicketEventKind, TicketKind, TicketStatus
from hub.tickets import AttachmentView, TicketEventView, TicketPage, TicketView

TIMELINE_SIZE = 10
"""The timeline length query costs assume: submission, routing, delivery and a few answers."""
CITIZEN_WORDS = frozenset({TicketEventKind.RATED, TicketEventKind.REOPENED})
"""Timeline entries whose message the citizen wrote: personal data."""
_MOVES = frozenset(
    {TicketEventKind.ACKNOWLEDGED, TicketEventKind.STATUS_CHANGED, TicketEventKind.AGENCY_UPDATE}
)
_STARTS = {
    TicketEventKind.SUBMITTED: TicketStatus.RECEIVED,
    TicketEventKind.REASSIGNED: TicketStatus.RECEIVED,
    TicketEventKind.REOPENED: TicketStatus.REOPENED,
}


@strawberry.type(description="How the hub routed a ticket, with the reason a citizen can read.")
class TicketRouting:
    agency: str = strawberry.field(description="The key of the agency that has the ticket.")
    category: str | None = strawberry.field(
        description="Its category as agency/category (e.g. police/crime); null while the "
        "triage office routes it by hand."
    )
    priority: Priority = strawberry.field(description="Its priority.")
    reason: str = strawberry.field(description="Why it went there, in words.")


@strawberry.type(description="Where a ticket is about. The area is public; the rest is personal.")
class TicketLocation:
    area: str | None = strawberry.field(description="The area, e.g. a town or ward. Public.")
    address: str | None = strawberry.field(description="The street address. Personal data.")
    latitude: float | None = strawberry.field(description="Degrees north. Personal data.")
    longitude: float | None = strawberry.field(description="Degrees east. Personal data.")


@strawberry.type(description="How the agency can reach the citizen. Personal data.")
class TicketContact:
    name: str | None = strawberry.field(description="The citizen's name.")
    phone: str | None = strawberry.field(description="A phone number.")
    email: str | None = strawberry.field(description="An e-mail address.")


@strawberry.type(description="The citizen's rating of how a finished ticket was handled.")
class TicketRating:
    score: int = strawberry.field(description="From 1 (poor) to 5 (excellent).")
    comment: str | None = strawberry.field(description="What the citizen said about it.")


@strawberry.type(description="One entry of a ticket's timeline.")
class TicketEvent:
    at: datetime = strawberry.field(description="When it happened (UTC).")
    kind: TicketEventKind = strawberry.field(description="What it records.")
    status: TicketStatus | None = strawberry.field(
        description="The status the ticket moved to with this entry; null if it moved none."
    )
    actor_role: str = strawberry.field(
        description="Who made it: citizen, anonymous, resolver, admin, agency (the agency's "
        "own system) or system (the hub's own work)."
    )
    actor_subject: str | None = strawberry.field(
        description="The actor's token subject; shown to staff of the ticket's agency and "
        "admins only."
    )
    public: bool = strawberry.field(
        description="Whether the citizen sees it; internal entries (comments among staff, SLA "
        "breaches, escalations) are listed only for staff of the ticket's agency and admins."
    )
    message: str | None = strawberry.field(
        description="What it says. The citizen's own words (a rating's comment, a reason to "
        "reopen) are personal data: null for callers who do not see the ticket's personal data."
    )

    @classmethod
    def of(cls, event: TicketEventView, *, personal: bool, staff: bool) -> TicketEvent:
        """The GraphQL form of a timeline entry, for a caller who sees ``personal`` data
        (or not) and is ``staff`` of the ticket's agency (or not)."""
        hidden = event.kind in CITIZEN_WORDS and not personal
        return cls(
            at=event.at,
            kind=event.kind,
            status=_status_after(event),
            actor_role=event.actor_role,
            actor_subject=event.actor_subject if staff else None,
            public=event.public,
            message=None if hidden else event.message,
        )


def _status_after(event: TicketEventView) -> TicketStatus | None:
    if event.kind not in _MOVES:
        return _STARTS.get(event.kind)
    try:
        return TicketStatus(event.data.get("to"))
    except ValueError:
        return None


ATTACHMENTS_SIZE = 5
"""The number of attachments query costs assume: the default most per ticket."""


@strawberry.type(description="A file the citizen attached to a ticket. Personal data.")
class TicketAttachment:
    id: strawberry.ID = strawberry.field(description="Its id, as in its downloadPath.")
    filename: str = strawberry.field(
        description="The name the citizen's device gave it; only a name, never a path."
    )
    content_type: str = strawberry.field(
        description="Its type, as the hub recognised it from its content, e.g. image/jpeg."
    )
    size_bytes: int = strawberry.field(description="Its size in bytes.")
    sha256: str = strawberry.field(description="The SHA-256 of its bytes, in hexadecimal.")
    created_at: datetime = strawberry.field(description="When the hub stored it (UTC).")
    download_path: str = strawberry.field(
        description="Where to GET its bytes on this hub, with the same bearer token: "
        "/attachments/{id}; for the ticket's owner, staff of its agency and admins."
    )

    @classmethod
    def of(cls, view: AttachmentView) -> TicketAttachment:
        """The GraphQL form of a stored attachment."""
        return cls(
            id=strawberry.ID(view.id),
            filename=view.filename,
            content_type=view.content_type,
            size_bytes=view.size,
            sha256=view.sha256,
            created_at=view.created_at,
            download_path=f"/attachments/{view.id}",
        )


@strawberry.type(
    description="A citizen's enquiry, complaint, commendation, report or request, kept by the "
    "hub and followed by its tracking number. Personal fields are null unless the caller is "
    "its owner, staff of its agency or an admin (see personalDataVisible)."
)
class Ticket:
    tracking_number: str = strawberry.field(
        description="The number the citizen follows it by, e.g. CH-2026-004217. Public."
    )
    kind: TicketKind = strawberry.field(description="What the citizen is doing. Public.")
    status: TicketStatus = strawberry.field(description="Where it stands. Public.")
    category: str | None = strawberry.field(
        description="Its category as agency/category; null while the triage office routes it. "
        "Public."
    )
    priority: Priority = strawberry.field(description="How soon it needs attention. Public.")
    routing: TicketRouting = strawberry.field(description="Where the hub sent it, and why. Public.")
    submitted_at: datetime = strawberry.field(description="When it was submitted. Public.")
    updated_at: datetime = strawberry.field(description="When it last changed. Public.")
    first_response_due_at: datetime = strawberry.field(
        description="When the agency must first answer by. Public."
    )
    resolution_due_at: datetime = strawberry.field(
        description="When the agency must resolve it by. Public."
    )
    first_responded_at: datetime | None = strawberry.field(
        description="When the agency first answered; null until it has. Public."
    )
    resolved_at: datetime | None = strawberry.field(
        description="When it was resolved or rejected; null while open. Public."
    )
    sla_state: SlaState = strawberry.field(
        description="How it stands against its deadlines now. Public."
    )
    resolution: str | None = strawberry.field(
        description="What the agency did, or why it rejected the ticket. Public: it is the "
        "agency's answer on the public timeline."
    )
    reopened_count: int = strawberry.field(description="How often it was reopened. Public.")
    agency_reference: str | None = strawberry.field(
        description="The agency's own case number once its system filed the ticket. Public."
    )
    delivered_at: datetime | None = strawberry.field(
        description="When the agency's system filed it; null until then. Public."
    )
    personal_data_visible: bool = strawberry.field(
        description="Whether this caller sees the personal fields: true for the ticket's owner, "
        "staff of its agency and admins. When false, the personal fields are null."
    )
    title: str | None = strawberry.field(description="Its title. Personal data.")
    description: str | None = strawberry.field(description="What the citizen wrote. Personal data.")
    location: TicketLocation | None = strawberry.field(
        description="Where it is about; null if the citizen gave no place. Its area is public, "
        "the rest personal data."
    )
    contact: TicketContact | None = strawberry.field(
        description="How to reach the citizen; null if they gave no contact details or it is "
        "hidden. Personal data."
    )
    rating: TicketRating | None = strawberry.field(
        description="The citizen's rating; null until rated or when hidden. Personal data."
    )
    agency_key: strawberry.Private[str]

    @strawberry.field(description="The agency that has the ticket; null if it left the hub.")
    def agency(self, info: Info) -> Agency | None:
        if self.agency_key not in info.context.registry:
            return None
        return agency_by_key(info, self.agency_key)

    @strawberry.field(
        description="Its timeline, oldest first: the public entries for everyone, every entry "
        "(internal comments included) for staff of its agency and admins.",
        directives=[ListSize(assumed_size=TIMELINE_SIZE)],
    )
    async def timeline(self, info: Info) -> list[TicketEvent]:
        # Loaded with the timelines of the other tickets of the response, in one read.
        events = await info.context.loaders.timelines.load(self.tracking_number)
        staff = is_staff_of(info.context.caller, self.agency_key)
        personal = self.personal_data_visible
        return [TicketEvent.of(event, personal=personal, staff=staff) for event in events]

    @strawberry.field(
        description="The files the citizen attached, in the order sent; null when hidden. "
        "Personal data.",
        directives=[ListSize(assumed_size=ATTACHMENTS_SIZE)],
    )
    async def attachments(self, info: Info) -> list[TicketAttachment] | None:
        if not self.personal_data_visible:
            return None
        views = await info.context.loaders.attachments.load(self.tracking_number)
        return [TicketAttachment.of(view) for view in views]

    @classmethod
    def of(cls, view: TicketView, *, personal: bool, sla: SlaState) -> Ticket:
        """The GraphQL form of a stored ticket, its personal fields filled only if
        ``personal``; ``sla`` is its SLA state now."""
        return cls(
            tracking_number=view.tracking_number,
            kind=view.kind,
            status=view.status,
            category=view.category_id,
            priority=view.priority,
            routing=TicketRouting(
                agency=view.agency,
                category=view.category_id,
                priority=view.priority,
                reason=view.routing_reason,
            ),
            submitted_at=view.submitted_at,
            updated_at=view.updated_at,
            first_response_due_at=view.first_response_due_at,
            resolution_due_at=view.resolution_due_at,
            first_responded_at=view.first_responded_at,
            resolved_at=view.resolved_at,
            sla_state=sla,
            resolution=view.resolution,
            reopened_count=view.reopened_count,
            agency_reference=view.agency_reference,
            delivered_at=view.delivered_at,
            personal_data_visible=personal,
            title=view.title if personal else None,
            description=view.description if personal else None,
            location=_location(view, personal),
            contact=_contact(view) if personal else None,
            rating=_rating(view) if personal else None,
            agency_key=view.agency,
        )


def _location(view: TicketView, personal: bool) -> TicketLocation | None:
    given = (view.area, view.address, view.latitude, view.longitude)
    if all(part is None for part in given):
        return None
    if not personal:
        hidden = TicketLocation(area=view.area, address=None, latitude=None, longitude=None)
        return None if view.area is None else hidden
    return TicketLocation(
        area=view.area, address=view.address, latitude=view.latitude, longitude=view.longitude
    )


def _contact(view: TicketView) -> TicketContact | None:
    given = (view.contact_name, view.contact_phone, view.contact_email)
    if all(part is None for part in given):
        return None
    return TicketContact(name=view.contact_name, phone=view.contact_phone, email=view.contact_email)


def _rating(view: TicketView) -> TicketRating | None:
    if view.rating is None:
        return None
    return TicketRating(score=view.rating, comment=view.rating_comment)


@strawberry.type(description="A ticket in a page, with its cursor.")
class TicketEdge:
    cursor: str = strawberry.field(description="Opaque position of the ticket in its list.")
    node: Ticket = strawberry.field(description="The ticket.")


@strawberry.type(description="A page of a list of tickets.")
class TicketConnection:
    edges: list[TicketEdge] = strawberry.field(description="The tickets of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    total_count: int = strawberry.field(
        description="How many tickets match the list's filters, on every page."
    )

    @strawberry.field(description="The tickets of this page, without cursors.")
    def nodes(self) -> list[Ticket]:
        return [edge.node for edge in self.edges]


def ticket_of(info: Info, view: TicketView, *, personal: bool | None = None) -> Ticket:
    """``view`` as the request's caller sees it (``personal`` overrides their rights)."""
    shown = sees_personal_data(info.context.caller, view) if personal is None else personal
    return Ticket.of(view, personal=shown, sla=store_of(info).sla_state(view))


def connection_of(info: Info, page: TicketPage, after: str | None) -> TicketConnection:
    """A page of the store as the request's caller sees it."""
    edges = [
        TicketEdge(cursor=edge.cursor, node=ticket_of(info, edge.ticket)) for edge in page.edges
    ]
    return TicketConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=page.end_cursor,
        ),
        total_count=page.total_count,
    )


__all__ = [
    "Ticket",
    "TicketAttachment",
    "TicketConnection",
    "TicketContact",
    "TicketEdge",
    "TicketEvent",
    "TicketLocation",
    "TicketRating",
    "TicketRouting",
    "connection_of",
    "ticket_of",
]
