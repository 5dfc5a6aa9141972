"""Subscriptions to what agencies publish: vacancies, tenders and news, as the hub's
watchers find them new or changed (:mod:`hub.watch`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import Annotated

import strawberry

from hub.connector import ListQuery
from hub.errors import InvalidInput
from hub.events import topics
from hub.gateway import Sourced
from hub.gateway.filters import matches
from hub.schema.agencies import Info
from hub.schema.bids import Bid, BidFilter
from hub.schema.live import records_on
from hub.schema.news import NewsFilter, NewsItem
from hub.schema.records import check_query
from hub.schema.vacancies import Vacancy, VacancyFilter


def _checked(info: Info, query: ListQuery, agencies: Sequence[str] | None) -> set[str] | None:
    """The agencies to listen to (``None``: all), once the filter is known to be sound.

    Filters are applied to each record as it arrives (``open_only`` at that moment).
    """
    check_query(query)
    if agencies is None:
        return None
    known = info.context.registry
    unknown = sorted(a for a in agencies if a not in known)
    if unknown:
        raise InvalidInput(
            "filter.agencies", f"no agency is called {', '.join(unknown)}; see the agencies query"
        )
    return set(agencies)


@strawberry.type
class RecordSubscriptions:
    @strawberry.subscription(
        description="Each vacancy an agency posts or changes from now on that passes the "
        "filter; public."
    )
    async def vacancy_posted(
        self,
        info: Info,
        filter: Annotated[
            VacancyFilter | None, strawberry.argument(description="Which vacancies to send.")
        ] = None,
    ) -> AsyncGenerator[Vacancy, None]:
        f = filter or VacancyFilter()
        agencies = _checked(info, f.query(0), f.agencies)
        async for agency, record in records_on(info, topics.VACANCIES, agencies):
            if matches(record, f.query(0)):
                yield Vacancy.of(Sourced(agency, record))

    @strawberry.subscription(
        description="Each tender an agency publishes or changes from now on that passes the "
        "filter; public."
    )
    async def bid_published(
        self,
        info: Info,
        filter: Annotated[
            BidFilter | None, strawberry.argument(description="Which tenders to send.")
        ] = None,
    ) -> AsyncGenerator[Bid, None]:
        f = filter or BidFilter()
        agencies = _checked(info, f.query(0), f.agencies)
        async for agency, record in records_on(info, topics.BIDS, agencies):
            if matches(record, f.query(0)):
                yield Bid.of(Sourced(agency, record))

    @strawberry.subscription(
        description="Each news item published or changed from now on, of one agency or of "
        "all; public."
    )
    async def news_published(
        self,
        info: Info,
        agency: Annotated[
            str | None, strawberry.argument(description="Only this agency's news, by key.")
        ] = None,
        filter: Annotated[
            NewsFilter | None, strawberry.argument(description="Which news to send.")
        ] = None,
    ) -> AsyncGenerator[NewsItem, None]:
        f = filter or NewsFilter()
        wanted = [agency] if agency is not None else f.agencies
        agencies = _checked(info, f.query(0), wanted)
        async for source, record in records_on(info, topics.NEWS, agencies):
            if matches(record, f.query(0)):
                yield NewsItem.of(Sourced(source, record))


__all__ = ["RecordSubscriptions"]
