"""Submitting a ticket: checked, routed, given its deadlines and tracking number, and
stored with its first timeline entries, its delivery and its audit row at once.

A submission carries an idempotency key: the same key from the same citizen (or, for
anonymous callers, the same key with the very same ticket) returns the ticket the
first submission stored instead of storing another. The database's unique constraint
on (scope, key) decides between concurrent submissions; the losers read the winner.
The same key sent with a different ticket is refused rather than answered with a
ticket the caller did not describe.

Files sent with the ticket (:mod:`hub.tickets.attachments`) are checked after the
ticket, then written to the attachments folder before the ticket's transaction and
recorded in it; if it does not commit, or a resubmission finds the ticket stored
already, the files written for it are removed again. They count in the submission's
fingerprint: the same key with other files is refused like the same key with other text.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Select, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.errors import InvalidInput
from hub.identity import Caller
from hub.tickets import validation
from hub.tickets.attachment_store import AttachmentKeeping
from hub.tickets.attachments import (
    ARGUMENT,
    AttachmentNotAllowed,
    CheckedAttachment,
    StoredFile,
    UploadedFile,
    digest_with,
)
from hub.tickets.core import HUB, Actor, add_event, moment
from hub.tickets.kinds import TicketKind, TicketStatus
from hub.tickets.models import OutboxEntry, Ticket, TicketAttachment
from hub.tickets.routing import Routing, RoutingError, TicketSubmission
from hub.tickets.sla import deadlines
from hub.tickets.tracking import next_tracking_number
from hub.tickets.views import TicketEventKind, TicketView

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
DELIVER = "deliver"
"""The outbox topic of a delivery to an agency's system."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTicket:
    """What a citizen submits.

    ``category`` (``agency/category`` or a bare id) and ``agency`` are the citizen's
    optional choices for routing; contact details and the place are optional.
    """

    kind: TicketKind
    title: str
    description: str
    category: str | None = None
    agency: str | None = None
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None

    def checked(self) -> NewTicket:
        """This ticket with its text stripped; :class:`InvalidInput` naming the first
        field that is wrong."""
        validation.coordinates(self.latitude, self.longitude)
        return replace(
            self,
            title=validation.text("title", self.title, most=MAX_TITLE),
            description=validation.text(
                "description", self.description, most=MAX_DESCRIPTION, multiline=True
            ),
            category=validation.optional_text("category", self.category, most=100),
            agency=validation.optional_text("agency", self.agency, most=64),
            area=validation.optional_text("area", self.area, most=100),
            address=validation.optional_text("address", self.address, most=500),
            contact_name=validation.optional_text("contactName", self.contact_name, most=200),
            contact_phone=validation.phone("contactPhone", self.contact_phone),
            contact_email=validation.email("contactEmail", self.contact_email),
        )

    def for_routing(self) -> TicketSubmission:
        """What routing reads of it."""
        return TicketSubmission(
            kind=self.kind,
            title=self.title,
            description=self.description,
            category=self.category,
            agency=self.agency,
        )

    def digest(self) -> str:
        """A fingerprint of the whole submission."""
        fields = asdict(self) | {"kind": self.kind.value}
        encoded = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()


class Submitting(AttachmentKeeping):
    """The store's :meth:`submit`."""

    async def submit(
        self,
        submission: NewTicket,
        caller: Caller,
        *,
        idempotency_key: str | None = None,
        attachments: Sequence[UploadedFile] = (),
        now: datetime | None = None,
    ) -> TicketView:
        """Store ``submission`` as a new ticket of ``caller`` (anonymous callers too).

        It is checked first (:class:`InvalidInput` naming the field, nothing written),
        then routed (a citizen's agency or category that cannot take it is
        :class:`InvalidInput` on ``agency`` or ``category``), given its SLA deadlines
        and the next tracking number, and stored with its SUBMITTED and ROUTED
        entries, one delivery in the outbox and an audit row, in one transaction.

        ``idempotency_key`` (8-100 printable characters) makes retries safe: the same
        key again from the same caller returns the ticket the first call stored.
        Without one, every call stores a new ticket.

        ``attachments`` are checked after the ticket (:class:`TooManyAttachments`,
        :class:`AttachmentTooLarge`, :class:`AttachmentNotAllowed` naming
        ``attachments.<index>``, nothing written) and stored with it; the store must
        have been given an attachments folder (:meth:`with_attachments`).
        """
        at = moment(now)
        ticket = submission.checked()
        key = (
            str(uuid.uuid4())
            if idempotency_key is None
            else validation.idempotency_key("idempotencyKey", idempotency_key)
        )
        scope = "anonymous" if caller.subject is None else f"subject:{caller.subject}"
        try:
            routing = self.rules.route(ticket.for_routing())
        except RoutingError as exc:
            raise InvalidInput(exc.field, str(exc)) from None
        checked = await self._checked(attachments)
        digest = digest_with(ticket.digest(), checked)
        if checked:
            # A retry must not write its files again only to remove them.
            earlier = await self._replayed(scope, key, digest)
            if earlier is not None:
                return earlier
        files = await self._saved(checked)
        recorded = _Recorded()
        try:
            view, stored = await self._store(
                ticket, routing, Actor.of(caller), scope, key, digest, at, files, recorded
            )
        except IntegrityError:
            self._discard(files)
            # A concurrent submission with the same key committed first.
            winner = await self._replayed(scope, key, digest)
            if winner is None:
                raise
            return winner
        except BaseException:
            # What fails after the commit (announcing the ticket) leaves the rows, and so the files.
            if not recorded.committed:
                self._discard(files)
            raise
        if not stored:
            self._discard(files)
        return view

    async def _checked(self, attachments: Sequence[UploadedFile]) -> list[CheckedAttachment]:
        if not attachments:
            return []
        if self.attachment_storage is None:
            raise AttachmentNotAllowed(
                ARGUMENT, "this hub keeps no attachments; submit the ticket without files"
            )
        return await self.attachment_storage.check(attachments)

    async def _saved(self, checked: list[CheckedAttachment]) -> list[StoredFile]:
        if not checked or self.attachment_storage is None:
            return []
        return await self.attachment_storage.save(checked)

    def _discard(self, files: list[StoredFile]) -> None:
        if files and self.attachment_storage is not None:
            self.attachment_storage.discard(files)

    async def _store(
        self,
        submission: NewTicket,
        routing: Routing,
        actor: Actor,
        scope: str,
        key: str,
        digest: str,
        at: datetime,
        files: list[StoredFile],
        recorded: _Recorded,
    ) -> tuple[TicketView, bool]:
        """The ticket stored, and whether this call stored it (not a replay)."""
        due = deadlines(at, self.rules.sla_targets(routing.agency, routing.category))
        async with self._writing() as session:
            earlier = await session.scalar(_same_key(scope, key))
            if earlier is not None:
                return _replay_of(earlier, digest), False
            ticket = Ticket(
                id=str(uuid.uuid4()),
                tracking_number=await next_tracking_number(session, at.year),
                kind=submission.kind.value,
                status=TicketStatus.RECEIVED.value,
                title=submission.title,
                description=submission.description,
                category=routing.category,
                agency=routing.agency,
                priority=routing.priority.value,
                routing_reason=routing.reason,
                matched_keywords=list(routing.matched_keywords),
                area=submission.area,
                address=submission.address,
                latitude=submission.latitude,
                longitude=submission.longitude,
                contact_name=submission.contact_name,
                contact_phone=submission.contact_phone,
                contact_email=submission.contact_email,
                owner_subject=actor.subject,
                idempotency_scope=scope,
                idempotency_key=key,
                request_digest=digest,
                submitted_at=at,
                first_response_due_at=due.first_response_due,
                resolution_due_at=due.resolution_due,
                reopened_count=0,
                sla_breached=False,
                updated_at=at,
            )
            session.add(ticket)
            await session.flush()
            session.add_all(_attachment_rows(ticket, files, at))
            event.listen(session.sync_session, "after_commit", recorded.commit, once=True)
            add_event(
                session,
                ticket,
                TicketEventKind.SUBMITTED,
                actor,
                at,
                public=True,
                message=f"Ticket {ticket.tracking_number} received.",
                data={"kind": ticket.kind},
            )
            add_event(
                session,
                ticket,
                TicketEventKind.ROUTED,
                HUB,
                at,
                public=True,
                message=routing.reason,
                data={
                    "agency": routing.agency,
                    "category": routing.category,
                    "priority": routing.priority.value,
                    "matched_keywords": list(routing.matched_keywords),
                },
            )
            session.add(new_delivery(ticket, at))
            await self._audit(
                session, "submitTicket", actor, ticket.tracking_number, agency=ticket.agency, at=at
            )
            await session.flush()
            return TicketView.of(ticket), True

    async def _replayed(self, scope: str, key: str, digest: str) -> TicketView | None:
        async with self._reading() as session:
            earlier = await session.scalar(_same_key(scope, key))
            return None if earlier is None else _replay_of(earlier, digest)


def new_delivery(ticket: Ticket, at: datetime) -> OutboxEntry:
    """The outbox row that delivers ``ticket`` to its agency, due at once."""
    return OutboxEntry(
        ticket_id=ticket.id,
        agency=ticket.agency,
        topic=DELIVER,
        created_at=at,
        attempts=0,
        next_attempt_at=at,
    )


@dataclass(slots=True)
class _Recorded:
    """Whether the transaction that records a new ticket's attachments committed."""

    committed: bool = False

    def commit(self, session: Session) -> None:
        self.committed = True


def _attachment_rows(
    ticket: Ticket, files: list[StoredFile], at: datetime
) -> list[TicketAttachment]:
    # One microsecond apart, so that ordering by created_at keeps the order they were sent.
    return [
        TicketAttachment(
            id=file.id,
            ticket_id=ticket.id,
            filename=file.attachment.filename,
            content_type=file.attachment.content_type,
            size=file.attachment.size,
            sha256=file.attachment.sha256,
            stored_path=file.stored_path,
            created_at=at + timedelta(microseconds=index),
        )
        for index, file in enumerate(files)
    ]


def _same_key(scope: str, key: str) -> Select[Ticket]:
    return select(Ticket).where(Ticket.idempotency_scope == scope, Ticket.idempotency_key == key)


def _replay_of(earlier: Ticket, digest: str) -> TicketView:
    if earlier.request_digest != digest:
        raise InvalidInput(
            "idempotencyKey",
            "was already used for a different ticket; send a new key with each new ticket "
            "and reuse a key only to retry the very same submission",
        )
    return TicketView.of(earlier)


__all__ = ["DELIVER", "MAX_DESCRIPTION", "MAX_TITLE", "NewTicket", "Submitting", "new_delivery"]
