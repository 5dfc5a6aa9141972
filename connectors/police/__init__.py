"""Connector of the National Police Service's Occurrence Book (a SQL database).

Serves the hub's services, news, vacancies, bids and health capabilities, and its
own lookups ``Query.police.occurrence(obNumber)`` (personal data: the complainant's
or the police's own, audited) and ``securityAlerts(area)`` (public). Its tickets
capability enters tickets in the Occurrence Book (through ``filing_database_url``)
and reads the officers' actions on them back.
"""

from __future__ import annotations

from connectors.police.connector import PoliceConnector
from connectors.police.ob_numbers import canonical_ob_number
from connectors.police.schema import Occurrence, PoliceQuery, SecurityAlert
from connectors.police.settings import PoliceSettings
from connectors.police.types import AlertLevel, OccurrenceStatus

__all__ = [
    "AlertLevel",
    "Occurrence",
    "OccurrenceStatus",
    "PoliceConnector",
    "PoliceQuery",
    "PoliceSettings",
    "SecurityAlert",
    "canonical_ob_number",
]
