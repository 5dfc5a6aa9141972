"""WS-Security UsernameToken authentication (PasswordText), as the gateway checks it."""

from __future__ import annotations

import hmac

from lxml import etree

from legacy.revenue.envelope import SoapFault

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSSE_SECURITY = f"{{{WSSE_NS}}}Security"
_TOKEN_PROFILE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
)
PASSWORD_TEXT = f"{_TOKEN_PROFILE}#PasswordText"
PASSWORD_DIGEST = f"{_TOKEN_PROFILE}#PasswordDigest"


def _failed(reason: str) -> SoapFault:
    return SoapFault("Client", f"authentication failed: {reason}", "AUTHENTICATION_FAILED")


def authenticate(header: etree._Element | None, username: str, password: str) -> None:
    """Check the UsernameToken in ``header`` against the expected credentials.

    Raise a ``Client`` :class:`SoapFault` ("authentication failed: ...") when the
    token is missing, uses an unsupported password type or does not match.
    """
    security = None if header is None else header.find(WSSE_SECURITY)
    if security is None:
        raise _failed(
            "the request has no wsse:Security header; send a WS-Security UsernameToken "
            "with a PasswordText password"
        )
    token = security.find(f"{{{WSSE_NS}}}UsernameToken")
    if token is None:
        raise _failed("the wsse:Security header holds no wsse:UsernameToken")
    given_username = token.findtext(f"{{{WSSE_NS}}}Username")
    password_element = token.find(f"{{{WSSE_NS}}}Password")
    if given_username is None or password_element is None:
        raise _failed("the wsse:UsernameToken needs both wsse:Username and wsse:Password")
    password_type = password_element.get("Type", PASSWORD_TEXT)
    if password_type != PASSWORD_TEXT:
        raise _failed(
            f"password type {password_type} is not supported; send the password as PasswordText"
        )
    given_password = password_element.text or ""
    username_matches = hmac.compare_digest(given_username.strip().encode(), username.encode())
    password_matches = hmac.compare_digest(given_password.encode(), password.encode())
    if not (username_matches and password_matches):
        raise _failed("unknown username or wrong password")
