"""Feedback in the graph: citizens rate an agency and say why (``sendFeedback``); each
agency's ``feedback`` summary counts it.

The summaries of a whole list of agencies are read in one query (the request's
``feedback`` loader, :mod:`hub.schema.participation`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from hub.errors import InvalidInput
from hub.identity.permissions import IsCitizen
from hub.participation import FeedbackView
from hub.schema.context import HubContext
from hub.schema.participation import hub_id, in_input, require_participation

if TYPE_CHECKING:
    from hub.schema.agencies import Agency

Info = strawberry.Info[HubContext, None]


@strawberry.type(description="What citizens think of an agency, from the feedback they sent.")
class AgencyFeedbackSummary:
    count: int = strawberry.field(description="How many times citizens rated the agency.")
    average_rating: float | None = strawberry.field(
        description="Their average rating, 1 (poor) to 5 (excellent), to two decimals; null "
        "when nobody rated it."
    )


async def feedback_summary(info: Info, agency: str) -> AgencyFeedbackSummary:
    """``agency``'s feedback summary, loaded with the other agencies' of the request."""
    summary = await info.context.participation_loaders.feedback.load(agency)
    return AgencyFeedbackSummary(count=summary.count, average_rating=summary.average_rating)


@strawberry.input(description="A citizen's feedback to an agency.")
class SendFeedbackInput:
    agency: str = strawberry.field(description="The agency's key, e.g. immigration.")
    rating: int = strawberry.field(description="From 1 (poor) to 5 (excellent).")
    text: str = strawberry.field(
        description="What went well or badly: 1 to 2,000 characters, line breaks allowed."
    )


@strawberry.type(description="A citizen's feedback to an agency, as the hub stored it.")
class AgencyFeedback:
    id: strawberry.ID = strawberry.field(description="The global ID: AgencyFeedback:hub:<n>.")
    rating: int = strawberry.field(description="From 1 (poor) to 5 (excellent).")
    text: str = strawberry.field(description="What the citizen said.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    agency_key: strawberry.Private[str]

    @strawberry.field(description="The agency it is about.")
    def agency(self, info: Info) -> Annotated[Agency, strawberry.lazy("hub.schema.agencies")]:
        from hub.schema.agencies import agency_by_key  # agencies.py imports this module

        return agency_by_key(info, self.agency_key)

    @classmethod
    def of(cls, feedback: FeedbackView) -> AgencyFeedback:
        """The GraphQL form of stored feedback."""
        return cls(
            id=strawberry.ID(hub_id("AgencyFeedback", feedback.id)),
            rating=feedback.rating,
            text=feedback.text,
            created_at=feedback.created_at,
            agency_key=feedback.agency,
        )


_INPUT_PATHS = {"agency": "input.agency", "rating": "input.rating", "text": "input.text"}


@strawberry.type
class FeedbackMutations:
    @strawberry.mutation(
        description="Rate an agency and say why; it counts in the agency's feedback summary. "
        "Citizens only. Bad input is BAD_USER_INPUT naming the input field, and nothing is "
        "stored.",
        permission_classes=[IsCitizen],
    )
    async def send_feedback(
        self,
        info: Info,
        input: Annotated[SendFeedbackInput, strawberry.argument(description="The feedback.")],
    ) -> AgencyFeedback | None:
        stores = require_participation(info.context.participation)
        try:
            stored = await stores.feedback.send(
                input.agency, input.rating, input.text, info.context.caller
            )
        except InvalidInput as exc:
            raise in_input(exc, _INPUT_PATHS) from None
        return AgencyFeedback.of(stored)


__all__ = [
    "AgencyFeedback",
    "AgencyFeedbackSummary",
    "FeedbackMutations",
    "SendFeedbackInput",
    "feedback_summary",
]
