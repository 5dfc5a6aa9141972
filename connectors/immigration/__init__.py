"""Connector of the Department of Immigration Services (a REST/JSON API).

Serves the hub's services, news, vacancies and health capabilities, and its own
lookup ``Query.immigration.passportApplication(number)``: personal data, asked for
with the hub's signed assertion of who asks (``X-Hub-Assertion``) and audited. Its
tickets capability lodges tickets with the complaints desk (``POST /complaints``,
signed by the hub itself) and reads the officers' updates back.
"""

from __future__ import annotations

from connectors.immigration.application_numbers import normalise_application_number
from connectors.immigration.connector import ImmigrationConnector
from connectors.immigration.schema import ImmigrationQuery, PassportApplication
from connectors.immigration.settings import ImmigrationSettings
from connectors.immigration.types import PassportApplicationRecord, PassportApplicationStatus

__all__ = [
    "ImmigrationConnector",
    "ImmigrationQuery",
    "ImmigrationSettings",
    "PassportApplication",
    "PassportApplicationRecord",
    "PassportApplicationStatus",
    "normalise_application_number",
]
