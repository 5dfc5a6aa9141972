"""The store's side of attachments: where their files go, and reading their rows.

A store keeps attachments once given an :class:`~hub.tickets.attachments.AttachmentStorage`
(:meth:`AttachmentKeeping.with_attachments`); :meth:`~hub.tickets.TicketStore.submit`
then stores the files a citizen sends with the ticket. As with the other reads, who may
see an attachment is the caller's to decide: the ticket's personal data, for its owner,
staff of its agency and admins.
"""

from __future__ import annotations

import copy
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Self

from sqlalchemy import select

from hub.errors import NotFound
from hub.tickets.attachments import AttachmentStorage
from hub.tickets.core import StoreCore
from hub.tickets.models import Ticket, TicketAttachment
from hub.tickets.tracking import parse_tracking_number
from hub.tickets.views import TicketView

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachmentView:
    """A file attached to a ticket, as recorded when it was stored."""

    id: str
    ticket_id: str
    filename: str
    """The client's name for it, cleaned of any folder part; never a path."""
    content_type: str
    """The type its content was recognised as."""
    size: int
    sha256: str
    created_at: datetime

    @classmethod
    def of(cls, row: TicketAttachment) -> AttachmentView:
        """The view of an ORM row."""
        return cls(
            id=row.id,
            ticket_id=row.ticket_id,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at,
        )


@dataclass(frozen=True, slots=True)
class AttachmentFile:
    """An attachment, its ticket, and the file that holds its bytes."""

    attachment: AttachmentView
    ticket: TicketView
    path: Path

    def present(self) -> AttachmentFile:
        """This attachment, once its file is known to be there; :class:`NotFound` (and
        an error in the log naming the path, never in the answer) when it is gone."""
        if not self.path.is_file():
            log.error(
                "the file of attachment %s is missing: %s; restore it from a backup",
                self.attachment.id,
                self.path,
            )
            raise NotFound(
                f"the file of attachment {self.attachment.id} is missing; the hub's operator "
                "has been told"
            )
        return self


class AttachmentKeeping(StoreCore):
    """The store's attachments folder, and :meth:`attachments` and :meth:`attachment`."""

    attachment_storage: AttachmentStorage | None = None
    """Where attachments are kept; ``None``: this store takes none."""

    def with_attachments(self, storage: AttachmentStorage) -> Self:
        """This store, keeping the attachments of new tickets in ``storage``."""
        keeping = copy.copy(self)
        keeping.attachment_storage = storage
        return keeping

    async def attachments(self, tracking_number: str) -> list[AttachmentView]:
        """The ticket's attachments, in the order they were sent (none for a ticket
        that does not exist)."""
        found = await self.attachments_of([tracking_number])
        return found[tracking_number]

    async def attachments_of(
        self, tracking_numbers: Sequence[str]
    ) -> dict[str, list[AttachmentView]]:
        """The attachments of these tickets, keyed by the tracking numbers as given, each
        as :meth:`attachments` lists them; in one statement however many. A number not
        shaped like one is :class:`~hub.errors.InvalidInput`, before any statement."""
        wanted = {given: parse_tracking_number(given) for given in tracking_numbers}
        if not wanted:
            return {}
        statement = (
            select(Ticket.tracking_number, TicketAttachment)
            .join(Ticket, Ticket.id == TicketAttachment.ticket_id)
            .where(Ticket.tracking_number.in_(set(wanted.values())))
            .order_by(TicketAttachment.created_at, TicketAttachment.id)
        )
        by_number: dict[str, list[AttachmentView]] = {}
        async with self._reading() as session:
            for number, row in await session.execute(statement):
                by_number.setdefault(number, []).append(AttachmentView.of(row))
        return {given: by_number.get(canonical, []) for given, canonical in wanted.items()}

    async def attachment(self, attachment_id: str) -> AttachmentFile:
        """The attachment ``attachment_id`` with its ticket and file; :class:`NotFound`
        if no attachment has that id. Whether its file is still there is for the caller
        to check (:meth:`AttachmentFile.present`), once it has checked the reader's rights."""
        missing = NotFound(
            f"no attachment has the id {attachment_id[:60]!r}; take the id from the "
            "ticket's attachments"
        )
        try:
            canonical = str(uuid.UUID(attachment_id))
        except ValueError:
            raise missing from None
        async with self._reading() as session:
            row = await session.get(TicketAttachment, canonical)
            ticket = None if row is None else await session.get(Ticket, row.ticket_id)
        if row is None or ticket is None or self.attachment_storage is None:
            raise missing
        path = self.attachment_storage.path_of(row.stored_path)
        return AttachmentFile(AttachmentView.of(row), TicketView.of(ticket), path)


__all__ = ["AttachmentFile", "AttachmentKeeping", "AttachmentView"]
