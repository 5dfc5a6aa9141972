"""What clients send to the tickets part of the graph: a new ticket, and list filters.

The store checks every value (:class:`~hub.tickets.NewTicket`); its errors name the
store's argument (``latitude``, ``contactPhone``, ``attachments.1``), which
:func:`in_input` turns into the path of the input field the client sent
(``input.location.latitude``, ``input.attachments.1``).
"""

from __future__ import annotations

from collections.abc import Collection

import strawberry
from strawberry.file_uploads import Upload

from hub.errors import InvalidInput
from hub.schema.tickets_enums import TicketKind, TicketStatus
from hub.tickets import NewTicket, UploadedFile

FINISHED = frozenset({TicketStatus.RESOLVED, TicketStatus.REJECTED, TicketStatus.CLOSED})

_INPUT_PATHS = {
    "title": "input.title",
    "description": "input.description",
    "category": "input.category",
    "agency": "input.agency",
    "idempotencyKey": "input.idempotencyKey",
    "area": "input.location.area",
    "address": "input.location.address",
    "latitude": "input.location.latitude",
    "longitude": "input.location.longitude",
    "contactName": "input.contact.name",
    "contactPhone": "input.contact.phone",
    "contactEmail": "input.contact.email",
    "attachments": "input.attachments",
}


@strawberry.input(description="Where a ticket is about; every part is optional.")
class TicketLocationInput:
    area: str | None = strawberry.field(
        default=None, description="The area, e.g. a town or ward (at most 100 characters)."
    )
    address: str | None = strawberry.field(
        default=None, description="The street address (at most 500 characters)."
    )
    latitude: float | None = strawberry.field(
        default=None, description="Degrees north, -90 to 90; give it with longitude."
    )
    longitude: float | None = strawberry.field(
        default=None, description="Degrees east, -180 to 180; give it with latitude."
    )


@strawberry.input(description="How the agency can reach the citizen; every part is optional.")
class TicketContactInput:
    name: str | None = strawberry.field(default=None, description="The citizen's name.")
    phone: str | None = strawberry.field(
        default=None, description="A phone number of 7 to 15 digits, e.g. +254 20 222 2022."
    )
    email: str | None = strawberry.field(
        default=None, description="An e-mail address like name@example.org."
    )


@strawberry.input(description="A new ticket.")
class SubmitTicketInput:
    kind: TicketKind = strawberry.field(description="What the citizen is doing.")
    title: str = strawberry.field(description="A one-line summary, 1 to 200 characters.")
    description: str = strawberry.field(
        description="What happened or what is asked, 1 to 10,000 characters."
    )
    idempotency_key: str = strawberry.field(
        description="8 to 100 printable characters without spaces, made once per ticket (a "
        "UUID): sending the same ticket again with the same key returns the ticket stored the "
        "first time instead of a second one."
    )
    category: str | None = strawberry.field(
        default=None,
        description="The category, as agency/category (e.g. police/crime) or its id alone; "
        "without it the hub picks one from the text.",
    )
    agency: str | None = strawberry.field(
        default=None, description="The agency's key (e.g. police), if the citizen knows it."
    )
    location: TicketLocationInput | None = strawberry.field(
        default=None, description="Where it is about."
    )
    contact: TicketContactInput | None = strawberry.field(
        default=None, description="How to reach the citizen."
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Photos, videos or documents, sent as files of a multipart request "
        "(docs/tickets.md#attachments): by default at most 5 JPEG, PNG, WebP, MP4 or PDF files "
        "of at most 10 MiB each, their type recognised by their content.",
    )

    def uploaded_files(self) -> list[UploadedFile]:
        """The files sent as ``attachments``; :class:`InvalidInput` for a value that is
        not a file of the request (a string sent in place of one)."""
        files: list[UploadedFile] = []
        for index, value in enumerate(self.attachments or []):
            item: object = value
            if not isinstance(item, UploadedFile):
                raise InvalidInput(
                    f"input.attachments.{index}",
                    "is not a file; send files as parts of a multipart/form-data request "
                    "whose map puts them here (docs/tickets.md#attachments)",
                )
            files.append(item)
        return files

    def to_new_ticket(self) -> NewTicket:
        """The store's form of this ticket, not yet checked."""
        place = self.location or TicketLocationInput()
        contact = self.contact or TicketContactInput()
        return NewTicket(
            kind=self.kind,
            title=self.title,
            description=self.description,
            category=self.category,
            agency=self.agency,
            area=place.area,
            address=place.address,
            latitude=place.latitude,
            longitude=place.longitude,
            contact_name=contact.name,
            contact_phone=contact.phone,
            contact_email=contact.email,
        )


def in_input(error: InvalidInput) -> InvalidInput:
    """``error`` naming the field of ``submitTicket``'s input the client sent."""
    path = _INPUT_PATHS.get(error.argument)
    head, _, rest = error.argument.partition(".")
    if path is None and rest and head in _INPUT_PATHS:
        path = f"{_INPUT_PATHS[head]}.{rest}"
    if path is None:
        return error
    message = error.message.removeprefix(f"{error.argument}: ")
    return type(error)(path, message, agency=error.agency)


@strawberry.input(description="Which of the caller's tickets to list; every condition given holds.")
class MyTicketsFilter:
    status: list[TicketStatus] | None = strawberry.field(
        default=None, description="Only tickets in one of these statuses."
    )
    kind: TicketKind | None = strawberry.field(default=None, description="Only this kind.")


@strawberry.input(description="Which tickets of an agency's queue to list.")
class AgencyTicketsFilter:
    status: list[TicketStatus] | None = strawberry.field(
        default=None, description="Only tickets in one of these statuses."
    )
    open_only: bool = strawberry.field(
        default=False,
        description="Only tickets the agency still has work on (not RESOLVED, REJECTED or CLOSED).",
    )

    def statuses(self) -> Collection[TicketStatus] | None:
        """The statuses to list; ``None`` for all of them."""
        wanted = set(self.status) if self.status is not None else None
        if self.open_only:
            still_open = set(TicketStatus) - FINISHED
            wanted = still_open if wanted is None else wanted & still_open
        return None if wanted is None else sorted(wanted, key=list(TicketStatus).index)


__all__ = [
    "AgencyTicketsFilter",
    "MyTicketsFilter",
    "SubmitTicketInput",
    "TicketContactInput",
    "TicketLocationInput",
    "in_input",
]
