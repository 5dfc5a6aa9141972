"""Vacancies in the graph: jobs the agencies advertise, closing soonest first."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from hub import connector as hub
from hub.gateway import Sourced
from hub.schema.agencies import Info
from hub.schema.common import Connection, Money
from hub.schema.ids import global_id
from hub.schema.records import AgencyRecord, ClosingFilter, list_records


@strawberry.type(description="A job an agency advertises.")
class Vacancy(AgencyRecord):
    title: str = strawberry.field(description="The position's title.")
    description: str = strawberry.field(description="Duties and requirements.")
    category: str = strawberry.field(description="The job family or department.")
    location: str = strawberry.field(description="Where the job is based.")
    positions: int = strawberry.field(description="How many posts are open.")
    grade: str | None = strawberry.field(description="The agency's grade or scale.")
    salary: Money | None = strawberry.field(description="Pay, when published.")
    opens_at: datetime = strawberry.field(description="When applications open.")
    closes_at: datetime = strawberry.field(description="When applications close.")
    url: str | None = strawberry.field(description="The agency's page for the job.")

    @strawberry.field(description="Whether applications are open right now.")
    def is_open(self) -> bool:
        return self.opens_at <= datetime.now(UTC) < self.closes_at

    @classmethod
    def of(cls, sourced: Sourced[hub.Vacancy]) -> Vacancy:
        """The GraphQL form of an agency's vacancy."""
        v = sourced.item
        return cls(
            id=strawberry.ID(global_id("Vacancy", sourced.agency, v.id)),
            local_id=v.id,
            agency_key=sourced.agency,
            title=v.title,
            description=v.description,
            category=v.category,
            location=v.location,
            positions=v.positions,
            grade=v.grade,
            salary=Money.of(v.salary),
            opens_at=v.opens_at,
            closes_at=v.closes_at,
            url=v.url,
        )


@strawberry.input(description="Which vacancies to list.")
class VacancyFilter(ClosingFilter):
    def query(self, limit: int) -> hub.VacancyQuery:
        """The connector query of this filter, asking for at most ``limit`` records."""
        return hub.VacancyQuery(
            category=self.category,
            text=self.text,
            open_at=self.open_at,
            closes_after=self.closing_after,
            closes_before=self.closing_before,
            limit=limit,
        )


@strawberry.type
class VacancyQueries:
    @strawberry.field(description="Vacancies of every agency, closing soonest first.")
    async def vacancies(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: VacancyFilter | None = None,
    ) -> Connection[Vacancy]:
        f = filter or VacancyFilter()
        return await list_records(
            info,
            "vacancies",
            f.query(info.context.settings.max_upstream_items),
            agencies=f.agencies,
            first=first,
            after=after,
            convert=Vacancy.of,
        )


__all__ = ["Vacancy", "VacancyFilter", "VacancyQueries"]
