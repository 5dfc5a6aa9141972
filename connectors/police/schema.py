"""The police service's own lookups, mounted by the hub as ``Query.police``.

Each field asks for one key through ``agency.load``; the hub merges the keys of a whole
request into one query of the Occurrence Book per lookup.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from connectors.police.areas import clean_area
from connectors.police.ob_numbers import canonical_ob_number
from connectors.police.types import AlertLevel, OccurrenceStatus
from connectors.police.types import Occurrence as OccurrenceRecord
from connectors.police.types import SecurityAlert as SecurityAlertRecord
from hub.connector import AgencyHandle, NotFound
from hub.identity.permissions import personal_data
from hub.identity.rights import require_agency_staff, require_owner

if TYPE_CHECKING:
    from connectors.police.connector import PoliceConnector

strawberry.enum(
    OccurrenceStatus,
    name="OccurrenceStatus",
    description="Where the file of an Occurrence Book entry stands: REPORTED, "
    "UNDER_INVESTIGATION, REFERRED_TO_DCI (to the Directorate of Criminal "
    "Investigations), TAKEN_TO_COURT, CLOSED, or OTHER for a status word the hub "
    "does not know (see statusText).",
)
strawberry.enum(
    AlertLevel,
    name="AlertLevel",
    description="How serious a security alert is: ADVISORY, WARNING or CRITICAL.",
)


@strawberry.type(
    name="Occurrence",
    description="An entry of the police Occurrence Book (OB): an incident reported at a "
    "station, and where its file stands.",
)
class Occurrence:
    """The GraphQL view of an :class:`OccurrenceRecord` (without the complainant)."""

    ob_number: str = strawberry.field(description="The OB number, e.g. OB/23/14/11/2026.")
    station: str = strawberry.field(description="The police station that took the report.")
    category: str = strawberry.field(description="The kind of offence or incident, e.g. THEFT.")
    nature: str = strawberry.field(description="What was reported, in the station's words.")
    status: OccurrenceStatus = strawberry.field(description="Where the file stands.")
    status_text: str = strawberry.field(description="The status explained in plain words.")
    reported_at: datetime = strawberry.field(description="When it was reported (UTC).")
    updated_at: datetime = strawberry.field(description="When its file last moved (UTC).")

    @classmethod
    def from_record(cls, record: OccurrenceRecord) -> Occurrence:
        """The GraphQL object of ``record``."""
        return cls(
            ob_number=record.ob_number,
            station=record.station_name,
            category=record.category,
            nature=record.nature,
            status=record.status,
            status_text=record.status_text,
            reported_at=record.reported_at,
            updated_at=record.updated_at,
        )


@strawberry.type(name="SecurityAlert", description="A security alert the police issued.")
class SecurityAlert:
    """The GraphQL view of a :class:`SecurityAlertRecord`."""

    id: str = strawberry.field(description="The alert's number in the police system.")
    area: str = strawberry.field(description="Where it applies, e.g. Nairobi CBD.")
    county: str | None = strawberry.field(description="The county; null when countrywide.")
    level: AlertLevel = strawberry.field(description="How serious it is.")
    title: str = strawberry.field(description="The alert in a line.")
    message: str = strawberry.field(description="What to know and what to do.")
    issued_at: datetime = strawberry.field(description="When it was issued (UTC).")
    expires_at: datetime | None = strawberry.field(
        description="When it stops applying (UTC); null while it applies until withdrawn."
    )

    @classmethod
    def from_record(cls, record: SecurityAlertRecord) -> SecurityAlert:
        """The GraphQL object of ``record``."""
        return cls(
            id=record.id,
            area=record.area,
            county=record.county,
            level=record.level,
            title=record.title,
            message=record.message,
            issued_at=record.issued_at,
            expires_at=record.expires_at,
        )


@strawberry.type(name="PoliceQuery", description="The police service's own lookups.")
class PoliceQuery:
    """Lookups answered by the Occurrence Book through its connector."""

    agency: strawberry.Private[AgencyHandle]

    @strawberry.field(
        description="An Occurrence Book entry by its OB number. Personal data: a citizen may "
        "read only the entries they reported (the complainant's national ID is their "
        "token's national_id claim); the police's staff and admins any. Every access is "
        "audited.",
        extensions=personal_data("ob_number"),
    )
    async def occurrence(
        self,
        ob_number: Annotated[
            str,
            strawberry.argument(
                description="The OB number on the slip the station gave, e.g. "
                "OB/23/14/11/2026 (case, spaces and leading zeros do not matter)."
            ),
        ],
    ) -> Occurrence:
        agency_id = self.agency.agency.id
        number = canonical_ob_number(ob_number, agency=agency_id)
        connector = cast("PoliceConnector", self.agency.connector)
        record: OccurrenceRecord | None = await self.agency.load(connector.occurrences, number)
        if record is None:
            raise NotFound(
                f"the Occurrence Book has no entry {number}; check the OB number on the "
                "slip the station gave",
                agency=agency_id,
            )
        complainant = record.complainant_id_number
        if complainant:
            require_owner(self.agency.caller, agency_id, "national_id", complainant)
        else:
            # No complainant on record: no citizen can show the entry is theirs.
            require_agency_staff(self.agency.caller, agency_id)
        return Occurrence.from_record(record)

    @strawberry.field(
        description="The security alerts in force now for an area (its town, road or "
        "county), countrywide alerts included, most serious first."
    )
    async def security_alerts(
        self,
        area: Annotated[
            str,
            strawberry.argument(description="A town, road or county, e.g. Nairobi or Kilifi."),
        ],
    ) -> list[SecurityAlert]:
        cleaned = clean_area(area, agency=self.agency.agency.id)
        connector = cast("PoliceConnector", self.agency.connector)
        alerts: list[SecurityAlertRecord] | None = await self.agency.load(
            connector.security_alerts, cleaned
        )
        return [SecurityAlert.from_record(record) for record in alerts or []]
