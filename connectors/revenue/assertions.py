"""The hub's signed assertion on the gateway's requests for personal data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from connectors.revenue.soap import RequestSigner
from hub.connector import AgencyRejected, Caller
from hub.identity.assertion import AssertionSigner


def assertion_key(signer: AssertionSigner | None, agency: str) -> AssertionSigner:
    """``signer``, or :class:`~hub.connector.AgencyRejected` when the hub has none: the
    gateway answers personal data only to signed requests."""
    if signer is None:
        raise AgencyRejected(
            "the hub has no assertion key, so it cannot ask for personal data; set "
            "HUB_ASSERTION_KEY_FILE to the hub's EC P-256 key",
            agency=agency,
        )
    return signer


def signing_for(
    signer: AssertionSigner,
    caller: Caller,
    *,
    agency: str,
    purpose: str,
    on_behalf_of: Mapping[str, str | Sequence[str]],
) -> RequestSigner:
    """What signs a request of ``caller`` to ``agency`` for ``purpose`` once it is built:
    the assertion covers the request's exact method, target and body."""

    def sign(request: httpx.Request) -> Mapping[str, str]:
        return signer.headers(
            caller,
            audience=agency,
            purpose=purpose,
            method=request.method,
            target=request.url.raw_path.decode("ascii"),
            body=request.content,
            on_behalf_of=on_behalf_of,
        )

    return sign
