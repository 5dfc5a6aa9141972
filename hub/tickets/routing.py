"""Routing a citizen's ticket to an agency and category, and setting its priority.

The rules are the ``tickets:`` blocks of the agencies and the hub-wide
``ticket_routing:`` block; every decision comes with a reason a citizen can read.

How a ticket is routed:

1. A category the citizen chose wins, if it exists and takes the ticket's kind. It may
   be named ``agency/category`` or, when only one agency has it (or the citizen chose the
   agency too), by its bare id.
2. Otherwise the title and description are split into words (case-insensitive, on word
   boundaries, with simple plural folding: ``refunds`` matches ``refund``, ``taxes``
   matches ``tax``, ``penalties`` matches ``penalty``). Each category that takes the
   ticket's kind scores one point per keyword (a word or a phrase) found. The highest
   score wins; a tie goes to the category declared first: agencies in the file's order,
   then categories in their agency's order.
3. If the citizen chose an agency, only its categories compete; when none matches, the
   agency's first category taking the ticket's kind gets it.
4. When no category matches, the ticket goes to the triage office (the hub operator's
   agency) with no category, to be routed by hand.

The priority starts at the category's (``NORMAL`` at triage) and is only ever raised:
by the hub-wide priority rules, then by the category's urgent keywords (to ``URGENT``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from hub.tickets.config import (
    WORD,
    AgencyTicketsConfig,
    PriorityRuleConfig,
    SlaTargets,
    TicketAgency,
    TicketCategoryConfig,
    TicketRoutingConfig,
)
from hub.tickets.kinds import Priority, TicketKind


class RoutingError(ValueError):
    """The citizen's choice of agency or category cannot be honoured.

    ``field`` names the input at fault (``"agency"`` or ``"category"``) and ``choices``
    the values that would be accepted, so an API can show them.
    """

    def __init__(self, message: str, *, field: str, choices: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.field = field
        self.choices = tuple(choices)


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketSubmission:
    """What routing needs of a new ticket: its kind, its text and the citizen's choices."""

    kind: TicketKind
    title: str
    description: str
    category: str | None = None
    agency: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Routing:
    """Where a ticket goes, how pressing it is, and why.

    ``category`` is the category's id within ``agency``; ``None`` means the triage office
    routes the ticket by hand. ``matched_keywords`` are the chosen category's keywords
    found in the ticket, in the category's order.
    """

    agency: str
    category: str | None
    priority: Priority
    reason: str
    matched_keywords: tuple[str, ...] = ()

    @property
    def category_id(self) -> str | None:
        """The hub-wide id of the category, ``agency/category``."""
        return None if self.category is None else f"{self.agency}/{self.category}"


@dataclass(frozen=True, slots=True)
class _Keyword:
    text: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Text:
    words: tuple[str, ...]
    vocabulary: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Text:
        words = _words(text)
        return cls(words, frozenset(words))

    def found(self, keywords: Iterable[_Keyword]) -> tuple[str, ...]:
        return tuple(k.text for k in keywords if self._has(k.words))

    def _has(self, phrase: tuple[str, ...]) -> bool:
        if not phrase or not self.vocabulary.issuperset(phrase):
            return False
        size = len(phrase)
        return any(self.words[i : i + size] == phrase for i in range(len(self.words) - size + 1))


@dataclass(frozen=True, slots=True)
class _Category:
    agency_id: str
    agency_name: str
    config: TicketCategoryConfig
    keywords: tuple[_Keyword, ...]
    urgent_keywords: tuple[_Keyword, ...]

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def qualified(self) -> str:
        return f"{self.agency_id}/{self.config.id}"

    @property
    def label(self) -> str:
        return f"{self.config.name} ({self.config.id})"


@dataclass(frozen=True, slots=True)
class _Agency:
    id: str
    name: str
    tickets: AgencyTicketsConfig
    categories: tuple[_Category, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})"


@dataclass(frozen=True, slots=True)
class _PriorityRule:
    config: PriorityRuleConfig
    keywords: tuple[_Keyword, ...]


class RoutingRules:
    """The routing rules of the hub, compiled once from the agencies file.

    ``agencies`` in the file's order (it breaks ties); ``routing`` is the hub-wide block.
    Run :func:`hub.tickets.config.check_ticket_config` first: this raises ``ValueError``
    only for a triage agency that does not exist.
    """

    def __init__(self, agencies: Sequence[TicketAgency], routing: TicketRoutingConfig) -> None:
        self._agencies = {a.id: _compile_agency(a) for a in agencies}
        if routing.triage_agency not in self._agencies:
            raise ValueError(
                f"triage agency {routing.triage_agency!r} is not one of the agencies: "
                f"{', '.join(self._agencies) or 'none'}"
            )
        self._triage = self._agencies[routing.triage_agency]
        self._priority_rules = tuple(
            _PriorityRule(rule, _keywords(rule.keywords)) for rule in routing.priority_rules
        )
        self._reopen_window = timedelta(days=routing.reopen_window_days)

    @property
    def triage_agency(self) -> str:
        """The id of the agency that routes unmatched tickets by hand."""
        return self._triage.id

    @property
    def reopen_window(self) -> timedelta:
        """How long after resolution a citizen may reopen a ticket."""
        return self._reopen_window

    def sla_targets(self, agency: str, category: str | None = None) -> SlaTargets:
        """The SLA targets of a ticket at ``agency`` in ``category`` (a local id).

        Raises ``ValueError`` for an agency that is not declared.
        """
        return self._declared(agency).tickets.sla_targets(category)

    def at_risk_share(self, agency: str) -> float:
        """The share of a deadline after which ``agency``'s tickets are at risk.

        Raises ``ValueError`` for an agency that is not declared.
        """
        return self._declared(agency).tickets.at_risk_share

    def route(self, submission: TicketSubmission) -> Routing:
        """Decide the agency, category and priority of ``submission``, with the reason.

        Raises :class:`RoutingError` when the citizen named an agency or category that
        does not exist or does not take tickets of the submission's kind.
        """
        text = _Text.of(f"{submission.title}\n{submission.description}")
        kind = submission.kind
        if submission.category is not None:
            category = self._chosen_category(submission.category, submission.agency, kind)
            reason = f"Category chosen by the citizen: {category.label} at {category.agency_name}."
            return self._routing(category, text.found(category.keywords), reason, kind, text)
        if submission.agency is not None:
            return self._route_within(self._chosen_agency(submission.agency), kind, text)
        best = _best(self._categories(kind), text)
        if best is None:
            reason = (
                f"No category matched; sent to the triage office {self._triage.name} "
                "for manual routing."
            )
            return self._unrouted(reason, kind, text)
        category, matched = best
        reason = (
            f"Matched the {_keywords_phrase(matched)} of category {category.label} "
            f"at {category.agency_name}."
        )
        return self._routing(category, matched, reason, kind, text)

    def _route_within(self, agency: _Agency, kind: TicketKind, text: _Text) -> Routing:
        candidates = [c for c in agency.categories if c.config.takes(kind)]
        if not candidates and agency is self._triage:
            reason = f"Agency chosen by the citizen: {agency.name}, which routes it by hand."
            return self._unrouted(reason, kind, text)
        if not candidates:
            choices = [a.id for a in self._agencies.values() if self._takes(a, kind)]
            raise RoutingError(
                f"{agency.label} takes no {kind.value} tickets; choose one of: "
                f"{', '.join(choices)}, or leave the agency out to let the hub route it",
                field="agency",
                choices=choices,
            )
        best = _best(candidates, text)
        if best is not None:
            category, matched = best
            reason = (
                f"Agency chosen by the citizen; matched the {_keywords_phrase(matched)} "
                f"of its category {category.label} at {agency.name}."
            )
            return self._routing(category, matched, reason, kind, text)
        first = candidates[0]
        reason = (
            "Agency chosen by the citizen; no keyword matched, so it goes to the agency's "
            f"first category for {kind.value} tickets, {first.label} at {agency.name}."
        )
        return self._routing(first, (), reason, kind, text)

    def _routing(
        self,
        category: _Category,
        matched: tuple[str, ...],
        reason: str,
        kind: TicketKind,
        text: _Text,
    ) -> Routing:
        priority, why = self._priority(category.config.priority, kind, text, category)
        return Routing(
            agency=category.agency_id,
            category=category.id,
            priority=priority,
            reason=reason + why,
            matched_keywords=matched,
        )

    def _unrouted(self, reason: str, kind: TicketKind, text: _Text) -> Routing:
        priority, why = self._priority(Priority.NORMAL, kind, text, None)
        return Routing(
            agency=self._triage.id, category=None, priority=priority, reason=reason + why
        )

    def _priority(
        self, base: Priority, kind: TicketKind, text: _Text, category: _Category | None
    ) -> tuple[Priority, str]:
        """The raised priority and a sentence naming the rule that set it ("" if none did).

        The rule named is the first to reach the final priority: hub-wide rules in their
        order, then the category's urgent keywords.
        """
        priority, cause = base, ""
        for rule in self._priority_rules:
            if not rule.config.applies_to(kind) or rule.config.priority <= priority:
                continue
            matched = text.found(rule.keywords)
            if matched:
                priority = rule.config.priority
                cause = f"the rule {rule.config.name!r} (matched {_quoted(matched)})"
        if category is not None and priority < Priority.URGENT:
            matched = text.found(category.urgent_keywords)
            if matched:
                priority = Priority.URGENT
                noun = "keyword" if len(matched) == 1 else "keywords"
                cause = f"the urgent {noun} {_quoted(matched)} of category {category.label}"
        if priority == base:
            return priority, ""
        return priority, f" Priority raised from {base.value} to {priority.value} by {cause}."

    def _chosen_agency(self, agency_id: str) -> _Agency:
        """The agency the citizen named, if it takes tickets."""
        agency = self._agencies.get(agency_id)
        if agency is not None and self._takes(agency):
            return agency
        choices = [a.id for a in self._agencies.values() if self._takes(a)]
        problem = (
            f"unknown agency {agency_id!r}{_did_you_mean(agency_id, choices)}"
            if agency is None
            else f"{agency.label} takes no tickets"
        )
        raise RoutingError(
            f"{problem}; choose one of: {', '.join(choices)}", field="agency", choices=choices
        )

    def _chosen_category(self, given: str, agency_id: str | None, kind: TicketKind) -> _Category:
        """The category the citizen named, or a :class:`RoutingError` saying what to name."""
        if "/" in given:
            owner_id = given.partition("/")[0]
            if agency_id is not None and agency_id != owner_id:
                choices = [c.qualified for c in self._chosen_agency(agency_id).categories]
                raise RoutingError(
                    f"category {given!r} belongs to {owner_id!r}, not to {agency_id!r}; "
                    f"choose one of: {', '.join(choices)}, or leave the agency out",
                    field="category",
                    choices=choices,
                )
            pool = self._categories()
            found = [c for c in pool if c.qualified == given]
        elif agency_id is not None:
            pool = list(self._chosen_agency(agency_id).categories)
            found = [c for c in pool if c.id == given]
        else:
            pool = self._categories()
            found = [c for c in pool if c.id == given]
        if not found:
            choices = [c.qualified for c in pool]
            suggestion = _did_you_mean(given, choices, bare="/" not in given)
            raise RoutingError(
                f"unknown category {given!r}{suggestion}; "
                f"choose one of: {', '.join(choices) or 'none'}",
                field="category",
                choices=choices,
            )
        if len(found) > 1:
            choices = [c.qualified for c in found]
            raise RoutingError(
                f"category {given!r} exists at several agencies; "
                f"choose one of: {', '.join(choices)}",
                field="category",
                choices=choices,
            )
        (category,) = found
        if not category.config.takes(kind):
            takes = ", ".join(k.value for k in category.config.kinds or ())
            choices = [c.qualified for c in pool if c.config.takes(kind)]
            raise RoutingError(
                f"category {category.label} at {category.agency_name} takes only {takes} "
                f"tickets, not {kind.value}; choose one of: {', '.join(choices) or 'none'}, "
                "or leave the category out",
                field="category",
                choices=choices,
            )
        return category

    def _declared(self, agency_id: str) -> _Agency:
        agency = self._agencies.get(agency_id)
        if agency is None:
            raise ValueError(
                f"unknown agency {agency_id!r}; declared agencies: {', '.join(self._agencies)}"
            )
        return agency

    def _takes(self, agency: _Agency, kind: TicketKind | None = None) -> bool:
        """Whether a citizen may send ``agency`` tickets (of ``kind``)."""
        return agency is self._triage or any(
            kind is None or c.config.takes(kind) for c in agency.categories
        )

    def _categories(self, kind: TicketKind | None = None) -> list[_Category]:
        return [
            category
            for agency in self._agencies.values()
            for category in agency.categories
            if kind is None or category.config.takes(kind)
        ]


def route(submission: TicketSubmission, rules: RoutingRules) -> Routing:
    """Decide the agency, category and priority of ``submission`` under ``rules``.

    The same as ``rules.route(submission)``; see the module's docstring for how.
    """
    return rules.route(submission)


def _best(categories: Iterable[_Category], text: _Text) -> tuple[_Category, tuple[str, ...]] | None:
    """The category with the most keywords found; the first declared wins a tie."""
    best: tuple[_Category, tuple[str, ...]] | None = None
    for category in categories:
        matched = text.found(category.keywords)
        if matched and (best is None or len(matched) > len(best[1])):
            best = (category, matched)
    return best


def _compile_agency(agency: TicketAgency) -> _Agency:
    categories = tuple(
        _Category(
            agency.id,
            agency.name,
            category,
            _keywords(category.keywords),
            _keywords(category.urgent_keywords),
        )
        for category in agency.tickets.categories
    )
    return _Agency(agency.id, agency.name, agency.tickets, categories)


def _keywords(keywords: Iterable[str]) -> tuple[_Keyword, ...]:
    return tuple(_Keyword(k, _words(k)) for k in keywords)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_fold(word) for word in WORD.findall(text.lower()))


def _fold(word: str) -> str:
    """The singular of a regular English plural, near enough to match keywords."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _keywords_phrase(matched: Sequence[str]) -> str:
    noun = "keyword" if len(matched) == 1 else "keywords"
    return f"{noun} {_quoted(matched)}"


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _did_you_mean(given: str, choices: Sequence[str], *, bare: bool = False) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to ``given``; ``bare`` compares
    ``agency/category`` choices by their category part."""
    keys = {(c.partition("/")[2] if bare else c): c for c in reversed(choices)}
    close = difflib.get_close_matches(given, list(keys), n=1)
    return f" (did you mean {keys[close[0]]!r}?)" if close else ""


__all__ = ["Routing", "RoutingError", "RoutingRules", "TicketSubmission", "route"]
