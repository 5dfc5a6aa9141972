"""Stand-in of the revenue authority's Citizen Services Gateway, a SOAP 1.1 service.

``POST /soap`` answers document/literal SOAP 1.1 requests authenticated with a
WS-Security UsernameToken (``options.username``/``options.password``):
GetServiceCatalogue, GetNews, GetVacancies, GetTenders, GetTaxComplianceStatus and
Ping. GetTaxComplianceStatus answers personal data and also needs the hub's signed
assertion (``X-Hub-Assertion``, checked with ``options.hub_public_key``).
``GET /soap?wsdl`` serves the WSDL 1.1 description; ``/_faults`` the fault knobs;
``/_assertions`` the claims of the assertions accepted last.
"""

from __future__ import annotations

from legacy.revenue.app import AGENCY_ID, ASSERTION_REFUSED, SOAP_PATH, create_app
from legacy.revenue.envelope import SERVICE_NS, SOAP_ENV_NS
from legacy.revenue.operations import OPERATIONS
from legacy.revenue.security import PASSWORD_TEXT, WSSE_NS

__all__ = [
    "AGENCY_ID",
    "ASSERTION_REFUSED",
    "OPERATIONS",
    "PASSWORD_TEXT",
    "SERVICE_NS",
    "SOAP_ENV_NS",
    "SOAP_PATH",
    "WSSE_NS",
    "create_app",
]
