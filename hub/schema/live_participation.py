"""Subscriptions of citizen participation: a poll's results as votes come in, and the
public events that match a citizen's saved alerts."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from hub import connector as contract
from hub.events import topics
from hub.events.topics import poll_topic
from hub.gateway import Sourced
from hub.identity.permissions import IsCitizen
from hub.participation import AlertCandidate, AlertKind, PollResults, SavedAlertView, alert_matches
from hub.schema.agencies import Info
from hub.schema.alerts import SavedAlert
from hub.schema.bids import Bid
from hub.schema.live import bus_of, events_on, record_of
from hub.schema.live_alerts import AgencyAlert
from hub.schema.news import NewsItem
from hub.schema.participation import number_of, require_participation
from hub.schema.polls import PollId, PollResultsType
from hub.schema.vacancies import Vacancy

log = logging.getLogger(__name__)

ALERTS_FRESH_FOR = 5.0
"""Seconds a feed keeps its citizen's saved alerts before reading them again, so that
saving or deleting one takes effect within that time without a read per event."""

KINDS = {
    topics.VACANCIES: AlertKind.VACANCY,
    topics.BIDS: AlertKind.BID,
    topics.NEWS: AlertKind.NEWS,
    topics.SECURITY_ALERTS: AlertKind.SECURITY,
}

AlertItem = Annotated[
    Vacancy | Bid | NewsItem | AgencyAlert,
    strawberry.union("AlertItem", description="What an alert was raised for."),
]


@strawberry.type(description="A public event that matched some of the citizen's saved alerts.")
class AlertMatch:
    kind: AlertKind = strawberry.field(description="What kind of event it is.")
    alerts: list[SavedAlert] = strawberry.field(description="The saved alerts it matched.")
    item: AlertItem = strawberry.field(description="The vacancy, tender, news or alert.")


def _candidate(topic: str, agency: str, record: Any) -> tuple[AlertCandidate, AlertItem]:
    """How saved alerts see a record (its text and area), and its GraphQL form."""
    text: str
    area: str | None = None
    item: AlertItem
    if isinstance(record, contract.Vacancy):
        text, area = f"{record.title} {record.description}", record.location
        item = Vacancy.of(Sourced(agency, record))
    elif isinstance(record, contract.Bid):
        text, item = f"{record.title} {record.description}", Bid.of(Sourced(agency, record))
    elif isinstance(record, contract.NewsItem):
        text, item = f"{record.title} {record.summary}", NewsItem.of(Sourced(agency, record))
    else:
        text, area = f"{record.title} {record.message}", record.area
        item = AgencyAlert.of(agency, record)
    candidate = AlertCandidate(kind=KINDS[topic], agency=agency, text=text, area=area)
    return candidate, item


@strawberry.type
class ParticipationSubscriptions:
    @strawberry.subscription(
        description="The poll's results now, then after each vote; public. Ends with an "
        "error if there is no such poll."
    )
    async def poll_results(
        self, info: Info, poll_id: PollId
    ) -> AsyncGenerator[PollResultsType, None]:
        number = number_of(poll_id, "Poll", "pollId")
        stores = require_participation(info.context.participation)
        async with bus_of(info).subscribe([poll_topic(number)]) as events:
            shown = await stores.polls.results(number)
            yield PollResultsType.of(shown)
            async for event in events:
                try:
                    results = PollResults.from_data(event.data)
                except ValueError as exc:
                    log.warning(
                        "subscriptions: skipped unreadable poll event %s: %s", event.id, exc
                    )
                    continue
                if results.total_votes > shown.total_votes:  # not older than what was sent
                    shown = results
                    yield PollResultsType.of(results)

    @strawberry.subscription(
        description="Each vacancy, tender, news item or security alert from now on that "
        "matches one of the caller's saved alerts (saveAlert). Citizens only.",
        permission_classes=[IsCitizen],
    )
    async def my_alert_feed(self, info: Info) -> AsyncGenerator[AlertMatch, None]:
        subject = info.context.caller.subject or ""  # IsCitizen: never empty here
        stores = require_participation(info.context.participation)
        alerts: list[SavedAlertView] = await stores.alerts.alerts_of(subject)
        read_at = time.monotonic()
        async for event in events_on(info, topics.PUBLIC_TOPICS):
            if time.monotonic() - read_at > ALERTS_FRESH_FOR:
                alerts = await stores.alerts.alerts_of(subject)
                read_at = time.monotonic()
            decoded = record_of(event)
            if decoded is None:
                continue
            candidate, item = _candidate(event.topic, *decoded)
            matched = [alert for alert in alerts if alert_matches(alert, candidate)]
            if matched:
                yield AlertMatch(
                    kind=candidate.kind, alerts=[SavedAlert.of(a) for a in matched], item=item
                )


__all__ = ["AlertMatch", "ParticipationSubscriptions"]
