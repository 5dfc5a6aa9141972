"""Saved alerts in the graph: a citizen saves what they want to hear of (``saveAlert``),
lists (``myAlerts``) and deletes (``deleteAlert``) their alerts; the ``myAlertFeed``
subscription delivers the public events that match them.

Citizens only: each sees and deletes only their own alerts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.errors import InvalidInput
from hub.identity.permissions import IsCitizen, caller_of
from hub.limits import ListSize
from hub.participation import MAX_ALERTS, AlertKind, NewAlert, SavedAlertView
from hub.schema.agencies import Info
from hub.schema.participation import hub_id, in_input, number_of, require_participation

strawberry.enum(
    AlertKind,
    description="What a saved alert may be about: VACANCY (job openings), BID (tenders), "
    "NEWS or SECURITY (security alerts).",
)

_INPUT_PATHS = {name: f"input.{name}" for name in ("name", "keywords", "agencies", "areas")}


@strawberry.type(
    description="A citizen's saved alert: the events they want to hear of. Every criterion it "
    "has must hold; a criterion holds when any of its values does; an empty one is left out."
)
class SavedAlert:
    id: strawberry.ID = strawberry.field(description="The global ID: SavedAlert:hub:<n>.")
    name: str = strawberry.field(description="The citizen's name for it.")
    keywords: list[str] = strawberry.field(
        description="Words the event's title or summary must contain (any of them, as whole "
        "words, ignoring case)."
    )
    agencies: list[str] = strawberry.field(
        description="Keys of the agencies the event must come from (any of them)."
    )
    areas: list[str] = strawberry.field(
        description="Areas the event must be about (any of them, ignoring case)."
    )
    kinds: list[AlertKind] = strawberry.field(description="Kinds of events (any of them).")
    created_at: datetime = strawberry.field(description="When it was saved.")

    @classmethod
    def of(cls, alert: SavedAlertView) -> SavedAlert:
        """The GraphQL form of a saved alert."""
        return cls(
            id=strawberry.ID(hub_id("SavedAlert", alert.id)),
            name=alert.name,
            keywords=list(alert.keywords),
            agencies=list(alert.agencies),
            areas=list(alert.areas),
            kinds=list(alert.kinds),
            created_at=alert.created_at,
        )


@strawberry.input(description="An alert to save; give at least one criterion.")
class SaveAlertInput:
    name: str = strawberry.field(description="A name for it, 1 to 100 characters.")
    keywords: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 10 keywords of 2 to 50 characters: the event must mention one.",
    )
    agencies: list[str] = strawberry.field(
        default_factory=list,
        description="Agency keys (e.g. police): the event must come from one of them.",
    )
    areas: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 10 areas of at most 100 characters: the event must be about one.",
    )
    kinds: list[AlertKind] = strawberry.field(
        default_factory=list, description="Kinds of events: the event must be one of them."
    )

    def to_new_alert(self) -> NewAlert:
        """The store's form of this alert, not yet checked."""
        return NewAlert(
            name=self.name,
            keywords=self.keywords,
            agencies=self.agencies,
            areas=self.areas,
            kinds=self.kinds,
        )


@strawberry.type
class AlertQueries:
    @strawberry.field(
        description="The caller's saved alerts, oldest first. Citizens only.",
        directives=[ListSize(assumed_size=MAX_ALERTS)],
        permission_classes=[IsCitizen],
    )
    async def my_alerts(self, info: Info) -> list[SavedAlert] | None:
        subject = caller_of(info).subject
        assert subject is not None
        stores = require_participation(info.context.participation)
        return [SavedAlert.of(alert) for alert in await stores.alerts.alerts_of(subject)]


@strawberry.type
class AlertMutations:
    @strawberry.mutation(
        description=f"Save an alert; a citizen may keep {MAX_ALERTS}. Citizens only. Bad input "
        "is BAD_USER_INPUT naming the input field, and nothing is stored.",
        permission_classes=[IsCitizen],
    )
    async def save_alert(
        self,
        info: Info,
        input: Annotated[SaveAlertInput, strawberry.argument(description="The alert.")],
    ) -> SavedAlert | None:
        stores = require_participation(info.context.participation)
        try:
            saved = await stores.alerts.save(input.to_new_alert(), info.context.caller)
        except InvalidInput as exc:
            raise in_input(exc, _INPUT_PATHS) from None
        return SavedAlert.of(saved)

    @strawberry.mutation(
        description="Delete one of the caller's saved alerts; the alert as it was. NOT_FOUND "
        "if the caller has no such alert. Citizens only.",
        permission_classes=[IsCitizen],
    )
    async def delete_alert(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The alert's ID, e.g. SavedAlert:hub:3.")
        ],
    ) -> SavedAlert | None:
        number = number_of(id, "SavedAlert", "id")
        stores = require_participation(info.context.participation)
        return SavedAlert.of(await stores.alerts.delete(number, info.context.caller))


__all__ = ["AlertMutations", "AlertQueries", "SaveAlertInput", "SavedAlert"]
