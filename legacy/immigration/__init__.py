"""Stand-in of the Department of Immigration Services' REST/JSON API.

``/api/v1`` serves the service catalogue, news, vacancies and passport application
status behind an ``X-API-Key`` header, with page-number pagination, ``dd/mm/yyyy``
dates and Nairobi local times; ``/openapi.json`` describes it. Passport applications
are personal data: their requests also need the hub's signed assertion
(``X-Hub-Assertion``, checked with ``options.hub_public_key``); ``/_assertions``
lists the claims of the assertions accepted last.
"""

from __future__ import annotations

from legacy.immigration.api import HUB_KEY_NOT_CONFIGURED, INVALID_ASSERTION, MISSING_ASSERTION
from legacy.immigration.app import AGENCY_ID, BASE_PATH, create_app
from legacy.immigration.applications import APPLICATION_NUMBER, STATUSES, seed_applications

__all__ = [
    "AGENCY_ID",
    "APPLICATION_NUMBER",
    "BASE_PATH",
    "HUB_KEY_NOT_CONFIGURED",
    "INVALID_ASSERTION",
    "MISSING_ASSERTION",
    "STATUSES",
    "create_app",
    "seed_applications",
]
