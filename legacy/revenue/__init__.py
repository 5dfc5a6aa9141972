"""Stand-in of the revenue authority's Citizen Services Gateway, a SOAP 1.1 service.

``POST /soap`` answers document/literal SOAP 1.1 requests authenticated with a
WS-Security UsernameToken (``options.username``/``options.password``):
GetServiceCatalogue, GetNews, GetVacancies, GetTenders, GetTaxComplianceStatus,
LodgeEnquiry, GetEnquiryUpdates and Ping. GetTaxComplianceStatus and LodgeEnquiry
carry personal data and also need the hub's signed assertion (``X-Hub-Assertion``,
checked with ``options.hub_public_key``). Officers move enquiries along at
``POST /_staff/enquiries/status``.
``GET /soap?wsdl`` serves the WSDL 1.1 description; ``/_faults`` the fault knobs;
``/_assertions`` the claims of the assertions accepted last.
"""

from __future__ import annotations

from legacy.revenue.app import AGENCY_ID, ASSERTION_REFUSED, SOAP_PATH, create_app
from legacy.revenue.enquiries import ENQUIRY_STATUSES, ENQUIRY_TYPES, REFERENCE
from legacy.revenue.enquiry_operations import STAFF_PATH
from legacy.revenue.envelope import SERVICE_NS, SOAP_ENV_NS
from legacy.revenue.operations import OPERATIONS
from legacy.revenue.security import PASSWORD_TEXT, WSSE_NS

__all__ = [
    "AGENCY_ID",
    "ASSERTION_REFUSED",
    "ENQUIRY_STATUSES",
    "ENQUIRY_TYPES",
    "OPERATIONS",
    "PASSWORD_TEXT",
    "REFERENCE",
    "SERVICE_NS",
    "SOAP_ENV_NS",
    "SOAP_PATH",
    "STAFF_PATH",
    "WSSE_NS",
    "create_app",
]
