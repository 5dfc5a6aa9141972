"""Public services in the graph: what citizens can apply for, at which agency."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub import connector as hub
from hub.gateway import Sourced
from hub.schema.agencies import Info
from hub.schema.common import Connection, Money
from hub.schema.ids import GlobalId, global_id
from hub.schema.records import AgencyRecord, ListFilter, find_record, list_records


@strawberry.type(description="A public service an agency offers: a permit, a certificate, ...")
class Service(AgencyRecord):
    title: str = strawberry.field(description="The service's name.")
    description: str = strawberry.field(description="What the service is and who it is for.")
    category: str = strawberry.field(description="The agency's category for the service.")
    fee: Money | None = strawberry.field(description="What it costs; null when not published.")
    processing_days: int | None = strawberry.field(description="Usual working days to deliver.")
    requirements: list[str] = strawberry.field(description="What an applicant must bring.")
    online: bool = strawberry.field(description="Whether it can be applied for online.")
    url: str | None = strawberry.field(description="The agency's page for the service.")
    updated_at: datetime | None = strawberry.field(description="When the agency last changed it.")

    @classmethod
    def of(cls, sourced: Sourced[hub.Service]) -> Service:
        """The GraphQL form of an agency's service."""
        s = sourced.item
        return cls(
            id=strawberry.ID(global_id("Service", sourced.agency, s.id)),
            local_id=s.id,
            agency_key=sourced.agency,
            title=s.title,
            description=s.description,
            category=s.category,
            fee=Money.of(s.fee),
            processing_days=s.processing_days,
            requirements=list(s.requirements),
            online=s.online,
            url=s.url,
            updated_at=s.updated_at,
        )


@strawberry.input(description="Which services to list.")
class ServiceFilter(ListFilter):
    pass


@strawberry.type
class ServiceQueries:
    @strawberry.field(description="Public services of every agency, sorted by title.")
    async def services(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: ServiceFilter | None = None,
    ) -> Connection[Service]:
        f = filter or ServiceFilter()
        query = hub.ServiceQuery(
            category=f.category, text=f.text, limit=info.context.settings.max_upstream_items
        )
        return await list_records(
            info,
            "services",
            query,
            agencies=f.agencies,
            first=first,
            after=after,
            convert=Service.of,
        )

    @strawberry.field(description="One service by its global ID; null if the agency lacks it.")
    async def service(self, info: Info, id: strawberry.ID) -> Service | None:
        gid = GlobalId.parse(id)
        if gid.type_name != "Service":
            return None
        return await find_record(info, "services", gid, Service.of)


__all__ = ["Service", "ServiceFilter", "ServiceQueries"]
