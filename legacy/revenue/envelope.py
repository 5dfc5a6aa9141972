"""SOAP 1.1 envelopes: reading requests, writing answers and faults.

The stand-in follows SOAP 1.1 over HTTP: requests are ``text/xml`` envelopes in the
``http://schemas.xmlsoap.org/soap/envelope/`` namespace, answers are envelopes with
status 200, and every fault is an envelope with status 500 whose ``detail`` holds a
``ServiceError`` (a stable error code and a message).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from lxml import etree
from starlette.responses import Response

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV_NS = "http://www.w3.org/2003/05/soap-envelope"
SERVICE_NS = "urn:revenue-authority:citizen-services:v1"
XML_MEDIA_TYPE = "text/xml; charset=utf-8"
MAX_REQUEST_BYTES = 1024 * 1024

FaultCode = Literal["Client", "Server", "VersionMismatch", "MustUnderstand"]

_NSMAP = {"soap": SOAP_ENV_NS, "ra": SERVICE_NS}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True
)


class SoapFault(Exception):
    """A request the service answers with a SOAP fault.

    ``code`` is the SOAP 1.1 fault code (``Client`` when the request is at fault,
    ``Server`` when the service is), ``message`` the ``faultstring``, ``error_code``
    the stable code in the fault's ``detail`` and ``detail`` its message (the
    ``faultstring`` unless given).
    """

    def __init__(
        self,
        code: FaultCode,
        message: str,
        error_code: str,
        *,
        detail: str | None = None,
        http_status: int = 500,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.error_code = error_code
        self.detail = detail or message
        self.http_status = http_status


def client_fault(message: str, error_code: str = "INVALID_REQUEST") -> SoapFault:
    """A fault blaming the request: malformed, unknown, unauthenticated."""
    return SoapFault("Client", message, error_code)


@dataclass(frozen=True, slots=True)
class SoapMessage:
    """A parsed request envelope: its header (if any) and the elements of its body."""

    header: etree._Element | None
    body: tuple[etree._Element, ...]


def service_name(local: str) -> str:
    """The qualified (Clark notation) name of ``local`` in the service's namespace."""
    return f"{{{SERVICE_NS}}}{local}"


def parse_envelope(data: bytes, understood_headers: Collection[str]) -> SoapMessage:
    """Read a SOAP 1.1 request envelope; raise :class:`SoapFault` when it is not one.

    ``understood_headers`` are the qualified names of the header entries the service
    processes; any other entry marked ``mustUnderstand="1"`` is refused, as SOAP 1.1
    requires.
    """
    if not data.strip():
        raise client_fault("the request body is empty; POST a SOAP 1.1 envelope")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise client_fault(f"the request is not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise client_fault("SOAP messages must not contain a document type declaration")
    envelope = etree.QName(root)
    if envelope.localname == "Envelope" and envelope.namespace == SOAP12_ENV_NS:
        raise SoapFault(
            "VersionMismatch",
            f"SOAP 1.2 envelopes are not supported; send a SOAP 1.1 envelope in the "
            f"namespace {SOAP_ENV_NS}",
            "VERSION_MISMATCH",
        )
    if envelope.localname != "Envelope" or envelope.namespace != SOAP_ENV_NS:
        raise client_fault(
            f"not a SOAP envelope: the root element is {root.tag}; "
            f"expected {{{SOAP_ENV_NS}}}Envelope"
        )
    children = _elements(root)
    header = next((c for c in children if c.tag == f"{{{SOAP_ENV_NS}}}Header"), None)
    body = next((c for c in children if c.tag == f"{{{SOAP_ENV_NS}}}Body"), None)
    if body is None:
        raise client_fault("the SOAP envelope has no Body")
    if header is not None:
        _check_must_understand(header, understood_headers)
    return SoapMessage(header=header, body=_elements(body))


def _elements(parent: etree._Element) -> tuple[etree._Element, ...]:
    """The child elements of ``parent``, skipping comments and processing instructions."""
    return tuple(child for child in parent if isinstance(child.tag, str))


def _check_must_understand(header: etree._Element, understood: Collection[str]) -> None:
    for entry in _elements(header):
        flag = entry.get(f"{{{SOAP_ENV_NS}}}mustUnderstand", "0").strip()
        if flag in ("1", "true") and entry.tag not in understood:
            raise SoapFault(
                "MustUnderstand",
                f"the header entry {entry.tag} is marked mustUnderstand but this service "
                "does not process it; remove it or its mustUnderstand attribute",
                "MUST_UNDERSTAND",
            )


def envelope_response(payload: etree._Element) -> Response:
    """A 200 answer whose SOAP body holds ``payload``."""
    return _envelope(payload, status=200)


def fault_response(fault: SoapFault) -> Response:
    """The SOAP 1.1 fault envelope of ``fault`` (HTTP 500 unless it says otherwise)."""
    element = etree.Element(f"{{{SOAP_ENV_NS}}}Fault", nsmap=_NSMAP)
    etree.SubElement(element, "faultcode").text = f"soap:{fault.code}"
    etree.SubElement(element, "faultstring").text = fault.message
    detail = etree.SubElement(element, "detail")
    error = etree.SubElement(detail, service_name("ServiceError"))
    etree.SubElement(error, service_name("Code")).text = fault.error_code
    etree.SubElement(error, service_name("Message")).text = fault.detail
    return _envelope(element, status=fault.http_status)


def _envelope(payload: etree._Element, *, status: int) -> Response:
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap=_NSMAP)
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body").append(payload)
    etree.cleanup_namespaces(envelope, top_nsmap=_NSMAP)
    content = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    return Response(content, status_code=status, media_type=XML_MEDIA_TYPE)
