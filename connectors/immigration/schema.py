"""The immigration department's own lookups, mounted by the hub as ``Query.immigration``.

Each field asks for one application through ``agency.load``; the hub merges the numbers
of a whole request into one request to the department's API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from connectors.immigration.application_numbers import normalise_application_number
from connectors.immigration.types import PassportApplicationRecord, PassportApplicationStatus
from hub.connector import AgencyHandle, NotFound
from hub.identity.permissions import personal_data
from hub.identity.rights import require_owner

if TYPE_CHECKING:
    from connectors.immigration.connector import ImmigrationConnector

strawberry.enum(
    PassportApplicationStatus,
    name="PassportApplicationStatus",
    description="Where a passport application stands: RECEIVED (submitted or paid, not yet "
    "processed), IN_PROGRESS (biometrics, review or printing), READY_FOR_COLLECTION, "
    "COLLECTED or REJECTED.",
)


@strawberry.type(
    name="PassportApplication",
    description="A passport application at the Department of Immigration Services.",
)
class PassportApplication:
    """The GraphQL view of a :class:`PassportApplicationRecord` (without personal data)."""

    number: str = strawberry.field(description="The application number, e.g. PA2026-0012345.")
    passport_type: str = strawberry.field(
        description="The passport applied for, in the department's words "
        "(e.g. ORDINARY 34 PAGES, DIPLOMATIC, EAST AFRICAN)."
    )
    status: PassportApplicationStatus = strawberry.field(
        description="Where the application stands."
    )
    status_text: str = strawberry.field(
        description="The department's own status words, e.g. BIOMETRICS CAPTURED."
    )
    submitted_on: date = strawberry.field(description="The day the application was submitted.")
    updated_at: datetime = strawberry.field(description="When its status last changed (UTC).")
    collection_centre: str = strawberry.field(
        description="The office where the passport is to be collected."
    )
    remark: str | None = strawberry.field(
        description="Why the application was rejected; null unless it was."
    )

    @classmethod
    def from_record(cls, record: PassportApplicationRecord) -> PassportApplication:
        """The GraphQL object of ``record``."""
        return cls(
            number=record.number,
            passport_type=record.passport_type,
            status=record.status,
            status_text=record.status_text,
            submitted_on=record.submitted_on,
            updated_at=record.updated_at,
            collection_centre=record.collection_centre,
            remark=record.remark,
        )


@strawberry.type(name="ImmigrationQuery", description="The immigration department's own lookups.")
class ImmigrationQuery:
    """Lookups answered by the immigration department's system through its connector."""

    agency: strawberry.Private[AgencyHandle]

    @strawberry.field(
        description="A passport application by its number. Personal data: a citizen may "
        "read only their own applications (the applicant's national ID is their token's "
        "national_id claim); the department's staff and admins any. Every access is audited.",
        extensions=personal_data("number"),
    )
    async def passport_application(
        self,
        number: Annotated[
            str,
            strawberry.argument(
                description="The application number, e.g. PA2026-0012345 (case and "
                "surrounding spaces do not matter)."
            ),
        ],
    ) -> PassportApplication:
        agency_id = self.agency.agency.id
        normalised = normalise_application_number(number, agency=agency_id)
        connector = cast("ImmigrationConnector", self.agency.connector)
        record: PassportApplicationRecord | None = await self.agency.load(
            connector.passport_applications, normalised, self.agency.caller
        )
        if record is None:
            raise NotFound(
                f"the immigration department has no passport application {normalised}; "
                "check the number on the application receipt",
                agency=agency_id,
            )
        require_owner(self.agency.caller, agency_id, "national_id", record.applicant_id_no)
        return PassportApplication.from_record(record)
