"""The revenue authority's Citizen Services Gateway: a SOAP 1.1 service at ``/soap``.

``POST /soap`` takes SOAP 1.1 envelopes authenticated with a WS-Security
UsernameToken; ``GET /soap?wsdl`` serves the service description. Operations that
answer personal data (GetTaxComplianceStatus) also need the hub's signed assertion
in the ``X-Hub-Assertion`` HTTP header; without a valid one they answer a ``Client``
fault ``ASSERTION_REFUSED``. LodgeEnquiry, which carries a citizen's contact details,
needs it too. Officers move enquiries at ``POST /_staff/enquiries/status``. When the
fault knobs make it fail, it fails as the real deployment does: a dead gateway is a
503 HTML page from the load balancer in front of it, an error a SOAP ``Server`` fault.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date

from lxml import etree
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from legacy.assertions import ASSERTION_HEADER, AssertionRefused, AssertionVerifier, request_target
from legacy.faults import FaultsMiddleware, faults_routes
from legacy.revenue.enquiry_operations import staff_routes
from legacy.revenue.envelope import (
    MAX_REQUEST_BYTES,
    XML_MEDIA_TYPE,
    SoapFault,
    envelope_response,
    fault_response,
    parse_envelope,
)
from legacy.revenue.operations import select_operation
from legacy.revenue.security import WSSE_SECURITY, authenticate
from legacy.revenue.seed import SeedData, build_seed
from legacy.revenue.wsdl import wsdl_document
from legacy.serving import StandInOptions

logger = logging.getLogger(__name__)

SOAP_PATH = "/soap"
AGENCY_ID = "revenue"
"""The audience of the hub's assertions to this gateway."""
ASSERTION_REFUSED = "ASSERTION_REFUSED"

_UNAVAILABLE_PAGE = """<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body>
<center><h1>503 Service Temporarily Unavailable</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def _internal_error() -> SoapFault:
    incident = secrets.token_hex(4).upper()
    return SoapFault(
        "Server",
        "internal error",
        "INTERNAL_ERROR",
        detail=f"an unexpected error occurred (incident {incident}); try again later",
    )


def failure_response(scope: Scope, down: bool) -> Response:
    """How the deployment fails: a load balancer's 503 page when down, else a Server fault."""
    if down:
        return HTMLResponse(_UNAVAILABLE_PAGE, status_code=503)
    return fault_response(_internal_error())


class Gateway:
    """Answers the SOAP endpoint from the seed data, checking every caller's token and,
    for personal data, the hub's assertion."""

    def __init__(
        self, data: SeedData, username: str, password: str, assertions: AssertionVerifier
    ) -> None:
        self.data = data
        self._username = username
        self._password = password
        self._assertions = assertions

    async def describe(self, request: Request) -> Response:
        """``GET /soap?wsdl``: the WSDL, addressed to where it was fetched from."""
        if not any(key.lower() == "wsdl" for key in request.query_params):
            return PlainTextResponse(
                "This is the Citizen Services SOAP 1.1 endpoint: POST a SOAP envelope here, "
                f"or GET {SOAP_PATH}?wsdl for the service description.\n",
                status_code=400,
            )
        address = str(request.url.replace(query="", fragment=""))
        return Response(wsdl_document(address), media_type=XML_MEDIA_TYPE)

    async def call(self, request: Request) -> Response:
        """``POST /soap``: run the operation the envelope asks for."""
        try:
            return envelope_response(await self._answer(request))
        except SoapFault as fault:
            return fault_response(fault)
        except Exception:
            logger.exception("unexpected error while answering a SOAP request")
            return fault_response(_internal_error())

    async def _answer(self, request: Request) -> etree._Element:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type and not media_type.endswith("xml"):
            raise SoapFault(
                "Client",
                f"unsupported content type {media_type!r}; SOAP 1.1 requests are text/xml",
                "INVALID_REQUEST",
                http_status=415,
            )
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise SoapFault(
                "Client",
                f"the request is {len(body)} bytes, more than the {MAX_REQUEST_BYTES} allowed",
                "INVALID_REQUEST",
                http_status=413,
            )
        message = parse_envelope(body, understood_headers={WSSE_SECURITY})
        authenticate(message.header, self._username, self._password)
        operation, element = select_operation(message, request.headers.get("soapaction"))
        if operation.personal:
            self._check_assertion(request, body, operation.name)
        return operation.handler(element, self.data)

    def _check_assertion(self, request: Request, body: bytes, operation: str) -> None:
        try:
            self._assertions.verify(
                request.headers.get(ASSERTION_HEADER),
                method=request.method,
                target=request_target(request.scope),
                body=body,
            )
        except AssertionRefused as refused:
            raise SoapFault(
                "Client",
                f"{operation} answers personal data; the hub's assertion was refused: "
                f"{refused.reason}",
                ASSERTION_REFUSED,
            ) from None


def create_app(options: StandInOptions) -> Starlette:
    """The gateway's ASGI application, its data built for ``options.today``."""
    assertions = AssertionVerifier(AGENCY_ID, options.hub_public_key)
    data = build_seed(options.today or date.today())
    gateway = Gateway(data, options.username, options.password, assertions)
    routes = [
        Route(SOAP_PATH, gateway.describe, methods=["GET"]),
        Route(SOAP_PATH, gateway.call, methods=["POST"]),
        *faults_routes(options.faults),
        *assertions.routes(),
        *staff_routes(data.enquiries),
    ]
    middleware = [Middleware(FaultsMiddleware, faults=options.faults, failure=failure_response)]
    return Starlette(routes=routes, middleware=middleware)
