"""The revenue authority's own lookups, mounted by the hub as ``Query.revenue``.

Each field asks for one PIN through ``agency.load``; the hub merges the PINs of a whole
request into one GetTaxComplianceStatus request.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from connectors.revenue.pins import normalise_pin
from connectors.revenue.types import TaxCertificate, TaxComplianceStatus, TaxpayerType
from hub.connector import AgencyHandle, NotFound
from hub.identity.permissions import personal_data

if TYPE_CHECKING:
    from connectors.revenue.connector import RevenueConnector

strawberry.enum(
    TaxComplianceStatus,
    name="TaxComplianceStatus",
    description="The state of a Tax Compliance Certificate: VALID, EXPIRED, REVOKED, or NONE "
    "when no certificate was ever issued.",
)
strawberry.enum(
    TaxpayerType,
    name="TaxpayerType",
    description="Whether a PIN belongs to an INDIVIDUAL (PIN starting with A) or a COMPANY "
    "or other entity (PIN starting with P).",
)


@strawberry.type(
    name="TaxCompliance",
    description="A taxpayer's Tax Compliance Certificate (TCC) at the revenue authority.",
)
class TaxCompliance:
    """The GraphQL view of a :class:`TaxCertificate` (without the taxpayer's name)."""

    pin: str = strawberry.field(description="The taxpayer's PIN, e.g. A012345678Z.")
    status: TaxComplianceStatus = strawberry.field(
        description="The certificate's state as the authority records it (refreshed nightly)."
    )
    certificate_number: str | None = strawberry.field(
        description="The certificate number, e.g. TCC/2026/0104215; null if none was issued."
    )
    taxpayer_type: TaxpayerType = strawberry.field(
        description="Whether the taxpayer is an individual or a company."
    )
    issued_on: date | None = strawberry.field(
        description="The day the certificate was issued; null if none was issued."
    )
    expires_on: date | None = strawberry.field(
        description="The last day the certificate is valid; null if none was issued."
    )
    is_compliant: bool = strawberry.field(
        description="Whether the taxpayer holds a valid certificate today: status VALID and "
        "not past its expiry date (in the authority's time zone)."
    )

    @classmethod
    def from_record(cls, record: TaxCertificate, today: date) -> TaxCompliance:
        """The GraphQL object of ``record``, its compliance judged on ``today``."""
        return cls(
            pin=record.pin,
            status=record.status,
            certificate_number=record.certificate_number,
            taxpayer_type=record.taxpayer_type,
            issued_on=record.issued_on,
            expires_on=record.expires_on,
            is_compliant=record.is_compliant(today),
        )


@strawberry.type(name="RevenueQuery", description="The revenue authority's own lookups.")
class RevenueQuery:
    """Lookups answered by the revenue authority's gateway through its connector."""

    agency: strawberry.Private[AgencyHandle]

    @strawberry.field(
        description="The Tax Compliance Certificate of the taxpayer with a PIN. Personal "
        "data: a citizen may read only the PIN of their token's pin claim; the authority's "
        "staff and admins any. Every access is audited.",
        extensions=personal_data("pin", "pin"),
    )
    async def tax_compliance(
        self,
        pin: Annotated[
            str,
            strawberry.argument(
                description="The taxpayer's PIN, e.g. A012345678Z (case and surrounding "
                "spaces do not matter)."
            ),
        ],
    ) -> TaxCompliance:
        agency_id = self.agency.agency.id
        normalised = normalise_pin(pin, agency=agency_id)
        connector = cast("RevenueConnector", self.agency.connector)
        record: TaxCertificate | None = await self.agency.load(
            connector.tax_compliance, normalised, self.agency.caller
        )
        if record is None:
            raise NotFound(
                f"the revenue authority has no taxpayer with PIN {normalised}; check the PIN "
                "on the PIN certificate",
                agency=agency_id,
            )
        return TaxCompliance.from_record(record, connector.today())
