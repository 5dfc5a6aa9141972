"""Every failure of the immigration API, translated into the hub's errors in one place.

================================  =======================================
the API answers                   the hub raises
================================  =======================================
401 / 403 MISSING_ASSERTION,      AgencyRejected (the hub's assertion was refused:
INVALID_ASSERTION or              check the API holds the hub's public key)
HUB_KEY_NOT_CONFIGURED
another 401 / 403                 AgencyRejected (the API key was refused)
404                               NotFound
400 / 422                         AgencyRejected (the API's own message)
429, 5xx (503 when down)          AgencyUnavailable
another status, non-JSON body,    AgencyBadResponse
a body of an unexpected shape
no answer in time                 AgencyTimeout      (hub.connector.http_errors)
connection refused or reset       AgencyUnavailable  (hub.connector.http_errors)
================================  =======================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from hub.connector import (
    AgencyBadResponse,
    AgencyRejected,
    AgencyUnavailable,
    NotFound,
    http_errors,
)

ASSERTION_REFUSALS = frozenset({"MISSING_ASSERTION", "INVALID_ASSERTION", "HUB_KEY_NOT_CONFIGURED"})
"""The API's error codes for a request for personal data whose assertion it refused."""


class UnexpectedShape(ValueError):
    """The API's answer lacks a field, or a field has the wrong type or format."""


@contextmanager
def translated_errors(agency: str) -> Iterator[None]:
    """Translate transport failures and unreadable answers inside the block."""
    try:
        with http_errors(agency):
            yield
    except UnexpectedShape as exc:
        raise AgencyBadResponse(
            f"the immigration API answered in an unexpected shape: {exc}", agency=agency
        ) from exc


def json_body(response: httpx.Response, agency: str) -> Any:
    """The JSON body of a successful ``response``; raise the hub's error otherwise."""
    raise_for_status(response, agency)
    try:
        return json.loads(response.content)
    except ValueError as exc:
        kind = response.headers.get("content-type", "no content type")
        raise AgencyBadResponse(
            f"the immigration API answered {response.request.url.path} with a body that is "
            f"not JSON ({kind}): {exc}",
            agency=agency,
        ) from exc


def raise_for_status(response: httpx.Response, agency: str) -> None:
    """Raise the hub's error matching a failed ``response``; return if it succeeded."""
    status = response.status_code
    if 200 <= status < 300:
        return
    code, message = _agency_error(response)
    if status in (401, 403) and code in ASSERTION_REFUSALS:
        raise AgencyRejected(
            f"the immigration API refused the hub's assertion ({code}: {message}); the API "
            "must hold the public key of the hub's assertion key (HUB_ASSERTION_KEY_FILE)",
            agency=agency,
        )
    if status in (401, 403):
        raise AgencyRejected(
            f"the hub's API key was refused by the immigration API ({code}: {message}); "
            "check api_key in this agency's connector settings",
            agency=agency,
        )
    if status == 404:
        raise NotFound(message, agency=agency)
    if status in (400, 422):
        raise AgencyRejected(message, agency=agency)
    if status == 429 or status >= 500:
        retry_after = response.headers.get("retry-after")
        advice = f"; it asks to retry after {retry_after} s" if retry_after else ""
        raise AgencyUnavailable(
            f"the immigration API is unavailable (HTTP {status} {code}: {message}){advice}",
            agency=agency,
        )
    raise AgencyBadResponse(
        f"the immigration API answered with unexpected HTTP {status} ({code}: {message})",
        agency=agency,
    )


def _agency_error(response: httpx.Response) -> tuple[str, str]:
    """The API's error code and message, or the HTTP reason when the body is not its own."""
    fallback = (f"HTTP_{response.status_code}", response.reason_phrase or "no reason given")
    try:
        body = json.loads(response.content)
    except ValueError:
        return fallback
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return fallback
    code, message = error.get("code"), error.get("message")
    if not isinstance(code, str) or not isinstance(message, str):
        return fallback
    return code, message
