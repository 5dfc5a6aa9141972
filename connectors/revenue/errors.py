"""Every failure of the revenue gateway, translated into the hub's errors in one place.

The SOAP client and the mapping raise the protocol-level failures defined here;
:func:`translated_errors` turns them, and transport failures, into the contract's
errors:

==========================================  =========================================
the gateway answers                         the hub raises
==========================================  =========================================
Client fault AUTHENTICATION_FAILED          AgencyRejected (check username/password)
Client fault ASSERTION_REFUSED              AgencyRejected (the hub's assertion was refused:
                                            check the gateway holds the hub's public key)
Client fault PIN_NOT_FOUND                  NotFound
another Client, VersionMismatch or          AgencyRejected (the gateway's faultstring)
MustUnderstand fault
Server fault                                AgencyUnavailable
HTTP 429 or 5xx without a SOAP fault        AgencyUnavailable (e.g. the load balancer's
                                            503 page when the gateway is down)
another non-200 status without a fault      AgencyRejected (check the endpoint setting)
a body that is not a SOAP envelope, or an   AgencyBadResponse
answer missing or misshaping a field
no answer in time                           AgencyTimeout      (hub.connector.http_errors)
connection refused or reset                 AgencyUnavailable  (hub.connector.http_errors)
==========================================  =========================================
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hub.connector import (
    AgencyBadResponse,
    AgencyRejected,
    AgencyUnavailable,
    NotFound,
    http_errors,
)

AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
ASSERTION_REFUSED = "ASSERTION_REFUSED"
PIN_NOT_FOUND = "PIN_NOT_FOUND"


class SoapFault(Exception):
    """The gateway answered with a SOAP fault.

    ``code`` is the fault code's local part without subcodes (``Client``,
    ``Server``, ``VersionMismatch``, ``MustUnderstand``), ``message`` the
    ``faultstring`` and ``error_code`` the gateway's code from the ``detail``.
    """

    def __init__(self, code: str, message: str, error_code: str | None) -> None:
        super().__init__(f"{code} fault: {message}")
        self.code = code
        self.message = message
        self.error_code = error_code


class UnexpectedStatus(Exception):
    """The gateway (or what stands in front of it) answered a non-200 status without a fault."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"HTTP {status} ({description})")
        self.status = status
        self.description = description


class MalformedAnswer(ValueError):
    """The answer is not a SOAP envelope, or lacks or misshapes a field."""


@contextmanager
def translated_errors(agency: str) -> Iterator[None]:
    """Translate every failure of a gateway call inside the block into the hub's errors."""
    try:
        with http_errors(agency):
            yield
    except SoapFault as fault:
        raise _from_fault(fault, agency) from fault
    except UnexpectedStatus as exc:
        if exc.status == 429 or exc.status >= 500:
            raise AgencyUnavailable(
                f"the revenue gateway is unavailable: HTTP {exc.status} ({exc.description})",
                agency=agency,
            ) from exc
        raise AgencyRejected(
            f"HTTP {exc.status} ({exc.description}); check the endpoint in this agency's "
            "connector settings",
            agency=agency,
        ) from exc
    except MalformedAnswer as exc:
        raise AgencyBadResponse(
            f"the revenue gateway's answer cannot be read: {exc}", agency=agency
        ) from exc


def _from_fault(fault: SoapFault, agency: str) -> Exception:
    if fault.code == "Server":
        return AgencyUnavailable(
            f"the revenue gateway failed: {fault.message} ({fault.error_code or 'no code'})",
            agency=agency,
        )
    if fault.error_code == PIN_NOT_FOUND:
        return NotFound(fault.message, agency=agency)
    if fault.error_code == AUTHENTICATION_FAILED:
        return AgencyRejected(
            f"{fault.message}; check username and password in this agency's connector settings",
            agency=agency,
        )
    if fault.error_code == ASSERTION_REFUSED:
        return AgencyRejected(
            f"{fault.message}; the gateway must hold the public key of the hub's assertion "
            "key (HUB_ASSERTION_KEY_FILE)",
            agency=agency,
        )
    return AgencyRejected(fault.message, agency=agency)
