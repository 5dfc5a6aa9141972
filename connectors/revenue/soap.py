"""A small SOAP 1.1 client for the gateway: WS-Security envelopes out, bodies or faults back.

It raises the protocol-level failures of :mod:`connectors.revenue.errors`; callers
translate them with :func:`~connectors.revenue.errors.translated_errors`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import httpx
from lxml import etree

from connectors.revenue.errors import MalformedAnswer, SoapFault, UnexpectedStatus
from hub.identity.assertion import RequestSigner

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "urn:revenue-authority:citizen-services:v1"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordText"
)

Parameters = Sequence[tuple[str, str]]
"""An operation's parameters in order: (element name, text)."""

_NSMAP = {"soap": SOAP_ENV_NS, "wsse": WSSE_NS, "ra": SERVICE_NS}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True
)
_TITLE = re.compile(rb"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def qualified(local: str) -> str:
    """The Clark-notation name of ``local`` in the gateway's namespace."""
    return f"{{{SERVICE_NS}}}{local}"


class SoapClient:
    """Calls the gateway's operations over the hub's HTTP client."""

    def __init__(
        self, http: httpx.AsyncClient, endpoint: str, username: str, password: str
    ) -> None:
        self._http = http
        self._endpoint = endpoint
        self._username = username
        self._password = password

    async def call(
        self, operation: str, parameters: Parameters = (), *, sign: RequestSigner | None = None
    ) -> etree._Element:
        """Run ``operation`` and return its ``<operation>Response`` element.

        ``sign`` adds headers computed over the request as it will be sent. Raises
        :class:`SoapFault`, :class:`UnexpectedStatus` or :class:`MalformedAnswer` for an
        answer that is not a success, and ``httpx`` errors for transport failures.
        """
        request = self._http.build_request(
            "POST",
            self._endpoint,
            content=self.envelope(operation, parameters),
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{SERVICE_NS}/{operation}"',
                "Accept": "text/xml",
            },
        )
        if sign is not None:
            request.headers.update(sign(request))
        response = await self._http.send(request)
        return read_answer(response, operation)

    def envelope(self, operation: str, parameters: Parameters) -> bytes:
        """The request envelope: the UsernameToken header and the operation element."""
        envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap=_NSMAP)
        header = etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Header")
        security = etree.SubElement(header, f"{{{WSSE_NS}}}Security")
        security.set(f"{{{SOAP_ENV_NS}}}mustUnderstand", "1")
        token = etree.SubElement(security, f"{{{WSSE_NS}}}UsernameToken")
        etree.SubElement(token, f"{{{WSSE_NS}}}Username").text = self._username
        password = etree.SubElement(token, f"{{{WSSE_NS}}}Password", Type=PASSWORD_TEXT)
        password.text = self._password
        body = etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body")
        request = etree.SubElement(body, qualified(operation))
        for name, text in parameters:
            etree.SubElement(request, qualified(name)).text = text
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def read_answer(response: httpx.Response, operation: str) -> etree._Element:
    """The ``<operation>Response`` element of ``response``, or the failure it reports."""
    body = _soap_body(response.content)
    if body is not None:
        fault = body.find(f"{{{SOAP_ENV_NS}}}Fault")
        if fault is not None:
            raise _fault(fault)
    if response.status_code != 200:
        raise UnexpectedStatus(response.status_code, _describe(response))
    if body is None:
        kind = response.headers.get("content-type", "no content type")
        raise MalformedAnswer(f"the answer to {operation} is not a SOAP 1.1 envelope ({kind})")
    payload = next((child for child in body if isinstance(child.tag, str)), None)
    expected = qualified(f"{operation}Response")
    if payload is None or payload.tag != expected:
        found = "nothing" if payload is None else payload.tag
        raise MalformedAnswer(f"the SOAP Body holds {found}; expected {expected}")
    return payload


def _soap_body(content: bytes) -> etree._Element | None:
    """The Body of a SOAP 1.1 envelope, or ``None`` if ``content`` is not one."""
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        return None
    body = root.find(f"{{{SOAP_ENV_NS}}}Body")
    if body is None:
        raise MalformedAnswer("the SOAP envelope has no Body")
    return body


def _fault(fault: etree._Element) -> SoapFault:
    code_text = (fault.findtext("faultcode") or "").strip()
    if not code_text:
        raise MalformedAnswer("the SOAP fault has no faultcode")
    local = code_text.rpartition(":")[2].split(".")[0]
    message = (fault.findtext("faultstring") or "").strip() or "no faultstring given"
    error_code = fault.findtext(f"detail/{qualified('ServiceError')}/{qualified('Code')}")
    return SoapFault(local, message, error_code.strip() if error_code else None)


def _describe(response: httpx.Response) -> str:
    """A short description of a failed answer: an HTML page's title, else the reason."""
    title = _TITLE.search(response.content[:4096])
    if title:
        return " ".join(title.group(1).decode("utf-8", "replace").split())
    return response.reason_phrase or "no reason given"
