"""The document cache: a document sent again is neither parsed nor validated again.

Portals send the same few documents over and over; parsing and validating the portal
home query takes about 3 ms, more than the rest of a warm-cache answer. The
:class:`DocumentCaching` extension keeps, per document text, the parsed document, the
verdict of validation, and whether it reads only public data (for the response cache,
:mod:`hub.schema.publicity`), in a :class:`DocumentCache` bounded in entries and in
characters, least recently used first out.

Why not Strawberry's ``ParserCache`` and ``ValidationCache``: the first parses inside its
hook, so a document over the token limit escapes as an exception and loses its
``QUERY_TOO_LARGE`` code; the second sets the verdict of validation whatever came before
it, so after the limits it erases their refusal and the over-deep query runs, and
before them it validates documents the limits would have refused unread. It also keys
by the parsed document, which hashes the whole tree on every lookup.

How this one keeps the limits (:mod:`hub.limits`) whole: it comes **after** them in the
schema's extensions. The token limit sets the parser's ``max_tokens`` before the lookup,
and the key holds the parse options, so a document is only ever found under the limit it
was parsed with; a document the parser refused is not kept, and is refused again. The
depth, alias and cost limits measure every request before validation, whether or not the
document is known (they cost about 0.2 ms for the portal query, and the cost depends on
the request's variables); a cached verdict of validation is only consulted, and only
stored, when no limit refused the request, so it can never stand in for theirs. Verdicts
are kept per set of validation rules, so a hub without introspection keeps the verdict
of its own rules. The extension must be the last one that touches validation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import ASTValidationRule, DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension

from hub.cache import current_ledger
from hub.schema.publicity import private_field

ParseKey = tuple[str, tuple[tuple[str, object], ...]]
Rules = tuple[type[ASTValidationRule], ...]

DEFAULT_ENTRIES = 500
MAX_CHARACTERS = 500_000
"""Most characters of document text kept in all: parsed documents take about 100 bytes
of memory per character, so about 50 MB at worst, however the texts are chosen."""


@dataclass(slots=True)
class Known:
    """What the hub found about one document text."""

    document: DocumentNode
    validated: dict[Rules, tuple[GraphQLError, ...]] = field(default_factory=dict)
    """The errors validation found with each set of rules; empty when valid."""
    private: dict[str | None, str | None] = field(default_factory=dict)
    """Per operation name: :func:`~hub.schema.publicity.private_field`'s answer."""


class DocumentCache:
    """The last documents seen, at most ``max_entries`` (0: none) and ``max_characters``
    of text in all; a document longer than a tenth of that is never kept."""

    def __init__(
        self, max_entries: int = DEFAULT_ENTRIES, max_characters: int = MAX_CHARACTERS
    ) -> None:
        if max_entries < 0 or max_characters < 0:
            raise ValueError(
                f"DocumentCache: sizes must be >= 0 (0 keeps nothing), got {max_entries} "
                f"entries and {max_characters} characters"
            )
        self.max_entries = max_entries
        self.max_characters = max_characters
        self.characters = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[ParseKey, Known] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: ParseKey) -> Known | None:
        """What is known of the document ``key`` names, counting a hit or a miss."""
        known = self._entries.get(key)
        if known is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return known

    def add(self, key: ParseKey, document: DocumentNode) -> Known:
        """Remember ``document``, parsed from ``key``; the oldest entries make room."""
        known = Known(document)
        size = len(key[0])
        if self.max_entries == 0 or size > self.max_characters // 10:
            return known
        self._entries[key] = known
        self.characters += size
        while len(self._entries) > self.max_entries or self.characters > self.max_characters:
            old_key, _ = self._entries.popitem(last=False)
            self.characters -= len(old_key[0])
        return known


class DocumentCaching(SchemaExtension):
    """Skips parsing and validating documents ``cache`` knows; put it after the limits."""

    def __init__(self, cache: DocumentCache) -> None:
        super().__init__()
        self.cache = cache
        self.known: Known | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key: ParseKey | None = None
        if context.query:
            key = (context.query, tuple(sorted(context.parse_options.items())))
            self.known = self.cache.get(key)
        if self.known is not None:
            context.graphql_document = self.known.document
        yield
        if self.known is None and key is not None and context.graphql_document is not None:
            self.known = self.cache.add(key, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        known = self.known
        rules: Rules = tuple(context.validation_rules)
        validating = known is not None and context.pre_execution_errors is None
        if validating and known is not None:
            errors = known.validated.get(rules)
            if errors is not None:
                context.pre_execution_errors = list(errors)
                validating = False
        yield
        if validating and known is not None and context.pre_execution_errors is not None:
            known.validated[rules] = tuple(context.pre_execution_errors)

    def on_execute(self) -> Iterator[None]:
        ledger = current_ledger()
        if ledger is not None:
            reason = self._private_field()
            if reason is None:
                ledger.public = True
            else:
                ledger.spoil(f"{reason} is not public data")
        yield

    def _private_field(self) -> str | None:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return "no document"
        name = context.operation_name
        known = self.known
        if known is not None and name in known.private:
            return known.private[name]
        reason = private_field(context.schema._schema, document, name)
        if known is not None:
            known.private[name] = reason
        return reason


__all__ = ["DocumentCache", "DocumentCaching", "Known"]
