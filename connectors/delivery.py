"""The hub's signed assertion on ticket deliveries, shared by the HTTP connectors.

A ticket carries the citizen's contact details, so its delivery is a request for
personal data like any other: it carries the hub's assertion. No citizen is behind
the call (the hub's outbox delivers), so the hub asserts itself: subject
``citizen-hub``, no role, purpose ``tickets.deliver``, on behalf of the ticket's
tracking number.
"""

from __future__ import annotations

from hub.connector import Caller, TicketDelivery
from hub.identity.assertion import AssertionSigner, RequestSigner, required_signer

HUB_SERVICE = Caller(subject="citizen-hub", roles=frozenset())
"""The caller of a delivery: the hub itself."""

DELIVERY_PURPOSE = "tickets.deliver"


def delivery_signing(
    signer: AssertionSigner | None, agency: str, ticket: TicketDelivery
) -> RequestSigner:
    """What signs the delivery of ``ticket`` to ``agency`` once the request is built.

    Raise :class:`~hub.connector.AgencyRejected` when the hub has no assertion key: the
    agency files tickets only from signed requests.
    """
    return required_signer(
        signer, agency, "deliver tickets, which carry personal data"
    ).for_requests(
        HUB_SERVICE,
        audience=agency,
        purpose=DELIVERY_PURPOSE,
        on_behalf_of={"ticket": ticket.tracking_number},
    )
