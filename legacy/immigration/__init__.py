"""Stand-in of the Department of Immigration Services' REST/JSON API.

``/api/v1`` serves the service catalogue, news, vacancies and passport application
status behind an ``X-API-Key`` header, with page-number pagination, ``dd/mm/yyyy``
dates and Nairobi local times; ``/openapi.json`` describes it.
"""

from __future__ import annotations

from legacy.immigration.app import BASE_PATH, create_app
from legacy.immigration.applications import APPLICATION_NUMBER, STATUSES, seed_applications

__all__ = ["APPLICATION_NUMBER", "BASE_PATH", "STATUSES", "create_app", "seed_applications"]
