"""``GET /attachments/{id}``: the bytes of a file a citizen attached to a ticket.

A file is the ticket's personal data: it is sent only to those who see that data
(:func:`~hub.schema.tickets_access.sees_personal_data`: the ticket's owner, staff of
its agency and admins), identified by their bearer token. Without a valid token the
answer is ``401``, for anyone else ``403``, for an id no attachment has ``404``; each
error is JSON with ``errors[0].extensions.code``, as on ``/graphql``.

Every attempt writes an audit row (operation ``GET /attachments``, field
``attachment``, the attachment's id, the ticket's agency, ``OK`` or the refusal's
code). The file goes out with the type the hub recognised, as a download
(``Content-Disposition: attachment``), with ``X-Content-Type-Options: nosniff`` and a
sandboxing content security policy, so that no browser renders it as a page of the hub.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import orjson
from starlette.requests import HTTPConnection, Request
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

from hub.audit import AuditEntry, AuditSink
from hub.errors import Forbidden, HubError, NotFound, Unauthenticated
from hub.http.auth import client_address
from hub.identity import Caller, require_authenticated
from hub.observability.request_id import current_request_id
from hub.schema.tickets_access import sees_personal_data
from hub.tickets import AttachmentFile, TicketStore

OPERATION = "GET /attachments"
FIELD = "attachment"
STATUSES = {Unauthenticated.code: 401, Forbidden.code: 403, NotFound.code: 404}
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


class AttachmentDownloads:
    """The ASGI endpoint; ``tickets`` and ``audit`` give the store and the audit log once
    the hub has opened them (``None`` before, or for a hub that keeps no tickets)."""

    def __init__(
        self,
        authenticate: Callable[[HTTPConnection], Awaitable[Caller]],
        tickets: Callable[[], TicketStore | None],
        audit: Callable[[], AuditSink | None],
    ) -> None:
        self.authenticate = authenticate
        self.tickets = tickets
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """The attachment named in the path, or why it is not sent."""
        attachment_id: str = request.path_params["attachment_id"]
        caller = await self.authenticate(request)
        sink = self.audit()
        if sink is None:
            raise RuntimeError("the hub has no audit log open; attachments are not sent")
        try:
            found = await self._allowed(caller, attachment_id)
        except HubError as exc:
            await _record(sink, request, caller, attachment_id, exc.agency, exc.code)
            return _error(exc)
        await _record(sink, request, caller, attachment_id, found.ticket.agency, "OK")
        return FileResponse(
            found.path,
            media_type=found.attachment.content_type,
            filename=found.attachment.filename,
            headers=SAFE_HEADERS,
            content_disposition_type="attachment",
        )

    async def _allowed(self, caller: Caller, attachment_id: str) -> AttachmentFile:
        require_authenticated(caller)
        store = self.tickets()
        if store is None:
            raise NotFound("this hub keeps no tickets, so no attachments")
        found = await store.attachment(attachment_id)
        if not sees_personal_data(caller, found.ticket):
            raise Forbidden(
                "only the ticket's owner, staff of its agency and admins may download its "
                "attachments",
                agency=found.ticket.agency,
            )
        return found.present()


async def _record(
    sink: AuditSink,
    request: Request,
    caller: Caller,
    attachment_id: str,
    agency: str | None,
    outcome: str,
) -> None:
    await sink.record(
        AuditEntry(
            at=datetime.now(UTC),
            subject=caller.subject,
            role=caller.primary_role,
            caller_agency=caller.agency,
            operation=OPERATION,
            field=FIELD,
            object_id=attachment_id[:100],
            agency=agency,
            outcome=outcome,
            request_id=current_request_id(),
            client=client_address(request),
        )
    )


def _error(error: HubError) -> Response:
    status = STATUSES.get(error.code, 400)
    headers = {"WWW-Authenticate": 'Bearer realm="citizen-hub"'} if status == 401 else None
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    return Response(
        orjson.dumps(body), status, headers=headers, media_type="application/json; charset=utf-8"
    )


__all__ = ["AttachmentDownloads"]
