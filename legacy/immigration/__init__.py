"""Stand-in of the Department of Immigration Services' REST/JSON API.

``/api/v1`` serves the service catalogue, news, vacancies and passport application
status behind an ``X-API-Key`` header, with page-number pagination, ``dd/mm/yyyy``
dates and Nairobi local times; ``/openapi.json`` describes it. Passport applications
are personal data: their requests also need the hub's signed assertion
(``X-Hub-Assertion``, checked with ``options.hub_public_key``); ``/_assertions``
lists the claims of the assertions accepted last.

``/api/v1/complaints`` is the complaints desk: ``POST`` lodges a case (the hub's
assertion and an ``Idempotency-Key`` needed), ``GET ?updated_after=`` lists the cases
changed since; officers move cases at ``POST /_staff/complaints/{case_no}/status``.
The HR office posts and amends job adverts at ``POST /_staff/vacancies``.
"""

from __future__ import annotations

from legacy.immigration.advert_desk import ADVERTS_PATH
from legacy.immigration.api import HUB_KEY_NOT_CONFIGURED, INVALID_ASSERTION, MISSING_ASSERTION
from legacy.immigration.app import AGENCY_ID, BASE_PATH, create_app
from legacy.immigration.applications import APPLICATION_NUMBER, STATUSES, seed_applications
from legacy.immigration.complaints import CASE_NUMBER, CASE_STATUSES, CASE_TYPES
from legacy.immigration.complaints_api import IDEMPOTENCY_HEADER, STAFF_PATH

__all__ = [
    "ADVERTS_PATH",
    "AGENCY_ID",
    "APPLICATION_NUMBER",
    "BASE_PATH",
    "CASE_NUMBER",
    "CASE_STATUSES",
    "CASE_TYPES",
    "HUB_KEY_NOT_CONFIGURED",
    "IDEMPOTENCY_HEADER",
    "INVALID_ASSERTION",
    "MISSING_ASSERTION",
    "STAFF_PATH",
    "STATUSES",
    "create_app",
    "seed_applications",
]
