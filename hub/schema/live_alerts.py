"""``securityAlerts``: the security alerts agencies issue, as the hub's watchers find
them (an agency with the ``alerts`` capability), for an area or for all."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from hub import connector as contract
from hub.errors import InvalidInput
from hub.events import topics
from hub.schema.agencies import Agency, Info, agency_by_key
from hub.schema.live import records_on
from hub.schema.records import CONTROL_CHARACTERS

MAX_AREA = 100


@strawberry.type(description="A security alert an agency issued for an area.")
class AgencyAlert:
    local_id: str = strawberry.field(description="The alert's id in the agency's system.")
    area: str = strawberry.field(description="Where it applies: a town, a road, a county.")
    county: str | None = strawberry.field(description="The county; null when countrywide.")
    level: str = strawberry.field(description="ADVISORY, WARNING or CRITICAL.")
    title: str = strawberry.field(description="The alert in a line.")
    message: str = strawberry.field(description="What to know and what to do.")
    issued_at: datetime = strawberry.field(description="When it was issued.")
    expires_at: datetime | None = strawberry.field(
        description="When it stops applying; null until withdrawn."
    )
    agency_key: strawberry.Private[str]

    @strawberry.field(description="The agency that issued it.")
    def agency(self, info: Info) -> Agency:
        return agency_by_key(info, self.agency_key)

    @classmethod
    def of(cls, agency: str, alert: contract.SecurityAlert) -> AgencyAlert:
        """The GraphQL form of an agency's alert."""
        return cls(
            local_id=alert.id,
            area=alert.area,
            county=alert.county,
            level=alert.level.value,
            title=alert.title,
            message=alert.message,
            issued_at=alert.issued_at,
            expires_at=alert.expires_at,
            agency_key=agency,
        )


def concerns(alert: contract.SecurityAlert, area: str | None) -> bool:
    """Whether ``alert`` is for ``area`` (its area or its county, any letter case;
    every alert when ``area`` is ``None``)."""
    if area is None:
        return True
    wanted = area.casefold()
    return wanted in alert.area.casefold() or wanted == (alert.county or "").casefold()


@strawberry.type
class AlertSubscriptions:
    @strawberry.subscription(
        description="Each security alert issued or changed from now on, for an area or for "
        "all; public."
    )
    async def security_alerts(
        self,
        info: Info,
        area: Annotated[
            str | None,
            strawberry.argument(
                description="Only alerts whose area mentions this, or for this county "
                "(e.g. 'Nairobi')."
            ),
        ] = None,
    ) -> AsyncGenerator[AgencyAlert, None]:
        if area is not None and (
            not area.strip() or len(area) > MAX_AREA or CONTROL_CHARACTERS.search(area)
        ):
            raise InvalidInput(
                "area", f"must be plain text of 1 to {MAX_AREA} characters, e.g. 'Nairobi'"
            )
        wanted = area.strip() if area is not None else None
        async for agency, alert in records_on(info, topics.SECURITY_ALERTS):
            if concerns(alert, wanted):
                yield AgencyAlert.of(agency, alert)


__all__ = ["AgencyAlert", "AlertSubscriptions", "concerns"]
