"""Connector of the revenue authority's Citizen Services Gateway (a SOAP 1.1 service).

Serves the hub's services, news, vacancies, bids and health capabilities, and its
own lookup ``Query.revenue.taxCompliance(pin)``: personal data, asked for with the
hub's signed assertion of who asks (``X-Hub-Assertion``) and audited. Its tickets
capability lodges tickets in the enquiry register (LodgeEnquiry, signed by the hub
itself) and reads the officers' updates back (GetEnquiryUpdates).
"""

from __future__ import annotations

from connectors.revenue.connector import RevenueConnector
from connectors.revenue.pins import normalise_pin
from connectors.revenue.schema import RevenueQuery, TaxCompliance
from connectors.revenue.settings import RevenueSettings
from connectors.revenue.types import TaxCertificate, TaxComplianceStatus, TaxpayerType

__all__ = [
    "RevenueConnector",
    "RevenueQuery",
    "RevenueSettings",
    "TaxCertificate",
    "TaxCompliance",
    "TaxComplianceStatus",
    "TaxpayerType",
    "normalise_pin",
]
