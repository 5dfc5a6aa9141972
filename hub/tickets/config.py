"""The ticket settings of ``config/agencies.yaml`` and the checks across them.

Each agency may carry a ``tickets:`` block (its categories and SLA targets); the file
carries one hub-wide ``ticket_routing:`` block beside ``agencies:`` (the triage office,
the priority rules, the reopen window)::

    ticket_routing:
      triage_agency: hub_office
      priority_rules:
        - name: violence reported
          kinds: [REPORT]
          keywords: [violence, assault, gun]
          priority: URGENT
    agencies:
      - id: police
        ...
        tickets:
          sla: {first_response_hours: 4, resolution_hours: 168}
          categories:
            - id: crime
              name: Crime reports
              keywords: [theft, robbery, break in]
              kinds: [REPORT]

The models check the shape of each value (types, ranges, unknown keys);
:func:`check_ticket_config` checks what the models cannot see alone and returns one
readable line per problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from os import PathLike
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from hub.tickets.kinds import Priority, TicketKind

DEFAULT_AT_RISK_SHARE = 0.8
"""Share of a deadline's time after which a ticket is at risk of breaching it."""

WORD = re.compile(r"[^\W_]+")
"""A word of a keyword or of a ticket: a run of letters and digits."""

KEYWORD = re.compile(rf"{WORD.pattern}(?: {WORD.pattern})*")
"""A keyword: words separated by single spaces (a phrase)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTargets(_Strict):
    """How fast an agency must answer and finish a ticket, in calendar hours."""

    first_response_hours: float = Field(
        24, gt=0, description="Calendar hours from submission to the agency's first response."
    )
    resolution_hours: float = Field(
        240, gt=0, description="Calendar hours from submission to resolution."
    )


class SlaOverride(_Strict):
    """A category's own SLA targets; a target left out is the agency's."""

    first_response_hours: float | None = Field(None, gt=0)
    resolution_hours: float | None = Field(None, gt=0)

    def over(self, targets: SlaTargets) -> SlaTargets:
        """These targets laid over the agency's ``targets``."""
        return SlaTargets(
            first_response_hours=(
                targets.first_response_hours
                if self.first_response_hours is None
                else self.first_response_hours
            ),
            resolution_hours=(
                targets.resolution_hours if self.resolution_hours is None else self.resolution_hours
            ),
        )


class TicketCategoryConfig(_Strict):
    """One kind of matter an agency handles, and the words that point to it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    name: str = Field(min_length=1)
    keywords: tuple[str, ...] = Field(
        description="Lower-case words or phrases; a ticket mentioning them may belong here."
    )
    kinds: tuple[TicketKind, ...] | None = Field(
        None, description="The kinds of ticket the category takes; left out, every kind."
    )
    priority: Priority = Priority.NORMAL
    urgent_keywords: tuple[str, ...] = Field(
        (), description="Words or phrases that make a ticket of this category URGENT."
    )
    sla: SlaOverride | None = None

    def takes(self, kind: TicketKind) -> bool:
        """Whether the category takes tickets of ``kind``."""
        return self.kinds is None or kind in self.kinds


class AgencyTicketsConfig(_Strict):
    """An agency's ``tickets:`` block: its categories and SLA targets."""

    categories: tuple[TicketCategoryConfig, ...] = ()
    sla: SlaTargets = SlaTargets()
    at_risk_share: float = Field(
        DEFAULT_AT_RISK_SHARE,
        gt=0,
        le=1,
        description="Share of a deadline's time after which a ticket is AT_RISK.",
    )

    def category(self, category_id: str) -> TicketCategoryConfig | None:
        """The category with id ``category_id``, if the agency has one."""
        return next((c for c in self.categories if c.id == category_id), None)

    def sla_targets(self, category_id: str | None = None) -> SlaTargets:
        """The SLA targets of a ticket in ``category_id``.

        They are the agency's when ``category_id`` is ``None`` or names no category of the
        agency (one removed from the file since the ticket was routed, say).
        """
        category = None if category_id is None else self.category(category_id)
        if category is None or category.sla is None:
            return self.sla
        return category.sla.over(self.sla)


class PriorityRuleConfig(_Strict):
    """A hub-wide rule: tickets of ``kinds`` mentioning ``keywords`` get ``priority``."""

    name: str = Field(min_length=1, description="Shown to citizens in the routing reason.")
    kinds: tuple[TicketKind, ...] | None = Field(
        None, description="The kinds of ticket the rule applies to; left out, every kind."
    )
    keywords: tuple[str, ...]
    priority: Priority

    def applies_to(self, kind: TicketKind) -> bool:
        """Whether the rule looks at tickets of ``kind``."""
        return self.kinds is None or kind in self.kinds


class TicketRoutingConfig(_Strict):
    """The hub-wide ``ticket_routing:`` block."""

    triage_agency: str = Field(
        min_length=1, description="The agency (the hub's office) that routes unmatched tickets."
    )
    priority_rules: tuple[PriorityRuleConfig, ...] = ()
    reopen_window_days: int = Field(
        14, ge=0, description="Days after resolution a citizen may reopen; 0: never."
    )


class TicketAgency(Protocol):
    """What routing and the checks need of an agency: ``AgencyConfig`` has it."""

    @property
    def id(self) -> str:
        """The agency's id."""
        ...

    @property
    def name(self) -> str:
        """The agency's name, as citizens know it."""
        ...

    @property
    def tickets(self) -> AgencyTicketsConfig:
        """The agency's ``tickets:`` block."""
        ...


def check_ticket_config(
    agencies: Sequence[TicketAgency],
    routing: TicketRoutingConfig | None,
    *,
    file: str | PathLike[str] = "agencies.yaml",
) -> list[str]:
    """Check the ticket settings of every agency and the hub-wide routing block.

    ``agencies`` are in the file's order, so that lines name their index. Returns one line
    per problem (none when all is well), e.g. ``agencies.yaml: agencies[2]
    (police).tickets.categories[1].keywords: must not be empty``. It checks that category
    ids are unique within their agency (so ``agency/category`` ids are unique hub-wide),
    that keywords are present, lower case and plain words, that first responses are due
    no later than resolutions, and that the triage agency exists.
    """
    problems: list[str] = []

    def report(where: str, message: str) -> None:
        problems.append(f"{file}: {where}: {message}")

    for index, agency in enumerate(agencies):
        _check_agency(f"agencies[{index}] ({agency.id}).tickets", agency.tickets, report)

    declared = [agency.id for agency in agencies]
    if routing is None:
        if any(agency.tickets.categories for agency in agencies):
            report(
                "ticket_routing",
                "is required when agencies declare ticket categories; add "
                "'ticket_routing: {triage_agency: <agency id>}' beside 'agencies:'",
            )
        return problems
    if routing.triage_agency not in declared:
        report(
            "ticket_routing.triage_agency",
            f"unknown agency {routing.triage_agency!r}; declared agencies: "
            f"{', '.join(sorted(declared)) or 'none'}",
        )
    seen: dict[str, int] = {}
    for index, rule in enumerate(routing.priority_rules):
        where = f"ticket_routing.priority_rules[{index}]"
        if rule.name in seen:
            report(
                f"{where}.name",
                f"{rule.name!r} is already the name of priority_rules[{seen[rule.name]}]; "
                "rule names must be unique",
            )
        seen.setdefault(rule.name, index)
        _check_kinds(f"{where}.kinds", rule.kinds, report)
        _check_keywords(f"{where}.keywords", rule.keywords, report, required=True)
    return problems


_Report = Callable[[str, str], None]
"""Records a problem: where (``agencies[0] (revenue).tickets.sla``) and what."""


def _check_agency(where: str, tickets: AgencyTicketsConfig, report: _Report) -> None:
    _check_sla(f"{where}.sla", tickets.sla, report)
    first_index: dict[str, int] = {}
    for index, category in enumerate(tickets.categories):
        at = f"{where}.categories[{index}]"
        if category.id in first_index:
            report(
                f"{at}.id",
                f"{category.id!r} is already the id of categories[{first_index[category.id]}]; "
                "category ids must be unique within an agency",
            )
        first_index.setdefault(category.id, index)
        _check_keywords(f"{at}.keywords", category.keywords, report, required=True)
        _check_kinds(f"{at}.kinds", category.kinds, report)
        _check_keywords(f"{at}.urgent_keywords", category.urgent_keywords, report, required=False)
        if category.sla is not None:
            _check_sla(f"{at}.sla", category.sla.over(tickets.sla), report)


def _check_sla(where: str, targets: SlaTargets, report: _Report) -> None:
    if targets.first_response_hours > targets.resolution_hours:
        report(
            where,
            f"first_response_hours ({_hours(targets.first_response_hours)}) must not exceed "
            f"resolution_hours ({_hours(targets.resolution_hours)}); a ticket is answered "
            "before it is resolved",
        )


def _check_kinds(where: str, kinds: Sequence[TicketKind] | None, report: _Report) -> None:
    if kinds is not None and not kinds:
        report(where, "must not be empty; leave it out to take every kind of ticket")


def _check_keywords(
    where: str, keywords: Sequence[str], report: _Report, *, required: bool
) -> None:
    if required and not keywords:
        report(where, "must not be empty")
        return
    first_index: dict[str, int] = {}
    for index, keyword in enumerate(keywords):
        problem = keyword_problem(keyword)
        if problem is not None:
            report(f"{where}[{index}]", problem)
        elif keyword in first_index:
            report(
                f"{where}[{index}]",
                f"{keyword!r} is already listed at [{first_index[keyword]}]; remove one",
            )
        first_index.setdefault(keyword, index)


def keyword_problem(keyword: str) -> str | None:
    """What is wrong with ``keyword``, or ``None`` when it is a valid keyword.

    A keyword is lower case, made of letters and digits, with single spaces between the
    words of a phrase: ``pothole``, ``lost passport``.
    """
    if KEYWORD.fullmatch(keyword) and keyword == keyword.lower():
        return None
    if not keyword.strip():
        return "must not be empty"
    words = WORD.findall(keyword.lower())
    if not words:
        return f"must contain letters or digits, got {keyword!r}"
    suggestion = " ".join(words)
    if KEYWORD.fullmatch(keyword):
        return f"must be lower case; write {suggestion!r}, not {keyword!r}"
    return (
        "must be words of letters and digits separated by single spaces; "
        f"write {suggestion!r}, not {keyword!r}"
    )


def _hours(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


__all__ = [
    "DEFAULT_AT_RISK_SHARE",
    "KEYWORD",
    "WORD",
    "AgencyTicketsConfig",
    "PriorityRuleConfig",
    "SlaOverride",
    "SlaTargets",
    "TicketAgency",
    "TicketCategoryConfig",
    "TicketRoutingConfig",
    "check_ticket_config",
    "keyword_problem",
]
