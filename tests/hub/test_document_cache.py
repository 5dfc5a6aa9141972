"""The document cache: documents sent again skip parsing and validation, never the limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import DocumentNode, parse

from hub.agencies import AgencyRegistry, load_agencies
from hub.gateway import Gateway, Guard
from hub.limits import QUERY_TOO_COSTLY, QUERY_TOO_DEEP, QUERY_TOO_LARGE, QueryLimits
from hub.schema import HubContext, HubSchema, build_schema
from hub.schema.documents import DocumentCache
from hub.settings import Settings
from legacy.running import DEMO_FILE

DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}
DEEP = "{ services { edges { node { agency { contact { email } } } } } }"  # 6 levels
COSTLY = """
query Page($n: Int!) {
  services(first: $n, filter: {agencies: []}) { totalCount edges { node { id } } }
}
"""


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often Strawberry really parses and validates, counted around the real functions."""
    counts = {"parse": 0, "validate": 0}

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    for name, attribute in (("parse", "parse"), ("validate", "validate_document")):
        real = getattr(strawberry_schema, attribute)
        monkeypatch.setattr(strawberry_schema, attribute, counting(name, real))
    return counts


def schema_of(registry: AgencyRegistry, **options: Any) -> HubSchema:
    return build_schema(registry, Guard(registry), **options)


def context(registry: AgencyRegistry) -> HubContext:
    return HubContext(settings=Settings(), registry=registry, gateway=Gateway(registry))


def codes(result: Any) -> list[str]:
    return [error.extensions["code"] for error in result.errors or ()]


async def test_a_document_sent_again_is_neither_parsed_nor_validated_again(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    schema = schema_of(registry)
    first = await schema.execute("{ __typename }")
    second = await schema.execute("{ __typename }")
    assert first.data == second.data == {"__typename": "Query"}
    assert counted == {"parse": 1, "validate": 1}
    assert schema.document_cache is not None
    assert (schema.document_cache.hits, schema.document_cache.misses) == (1, 1)


async def test_a_repeated_over_deep_query_is_refused_every_time(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    schema = schema_of(registry, limits=QueryLimits(max_depth=5))
    results = [await schema.execute(DEEP) for _ in range(3)]
    for result in results:
        assert result.data is None
        assert codes(result) == [QUERY_TOO_DEEP]
    assert counted == {"parse": 1, "validate": 0}, "parsed once, and never validated"


async def test_a_known_valid_document_is_refused_when_its_variables_make_it_too_costly(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    schema = schema_of(registry, limits=QueryLimits(max_cost=100))
    cheap = await schema.execute(COSTLY, {"n": 5}, context_value=context(registry))
    costly = await schema.execute(COSTLY, {"n": 100}, context_value=context(registry))
    cheap_again = await schema.execute(COSTLY, {"n": 5}, context_value=context(registry))
    assert cheap.errors is None
    assert cheap.data == {"services": {"totalCount": 0, "edges": []}}
    assert costly.data is None
    assert codes(costly) == [QUERY_TOO_COSTLY]
    assert costly.errors is not None
    assert costly.errors[0].extensions is not None
    assert costly.errors[0].extensions["actual"] > 100
    assert cheap_again.data == cheap.data
    assert counted == {"parse": 1, "validate": 1}


async def test_a_document_over_the_token_limit_is_refused_with_its_code_every_time(
    registry: AgencyRegistry,
) -> None:
    schema = schema_of(registry, limits=QueryLimits(max_tokens=20))
    document = "{ " + " ".join(["__typename"] * 30) + " }"
    for _ in range(2):
        result = await schema.execute(document)
        assert result.data is None
        assert codes(result) == [QUERY_TOO_LARGE]
    assert schema.document_cache is not None
    assert len(schema.document_cache) == 0, "a document the parser refused is not kept"


async def test_without_introspection_a_repeated_introspection_query_is_refused(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    closed = schema_of(registry, introspection=False)
    open_ = schema_of(registry)
    query = "{ __schema { queryType { name } } }"
    refused = [await closed.execute(query) for _ in range(2)]
    answered = await open_.execute(query)
    for result in refused:
        assert result.data is None
        assert result.errors is not None
        assert set(codes(result)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "introspection has been disabled" in result.errors[0].message
    assert [e.message for e in refused[0].errors or ()] == [
        e.message for e in refused[1].errors or ()
    ]
    assert answered.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert counted["validate"] == 2, "once per schema: each keeps the verdict of its own rules"


async def test_an_invalid_document_gets_the_same_errors_from_the_cache(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    schema = schema_of(registry)
    first = await schema.execute("{ nope }")
    second = await schema.execute("{ nope }")
    assert first.errors is not None
    assert second.errors is not None
    assert [e.message for e in first.errors] == [e.message for e in second.errors]
    assert codes(second) == ["GRAPHQL_VALIDATION_FAILED"]
    assert counted["validate"] == 1


async def test_a_document_cache_of_size_0_keeps_nothing(
    registry: AgencyRegistry, counted: dict[str, int]
) -> None:
    schema = schema_of(registry, document_cache_size=0)
    for _ in range(2):
        assert (await schema.execute("{ __typename }")).data == {"__typename": "Query"}
    assert counted == {"parse": 2, "validate": 2}


# --- DocumentCache on its own -------------------------------------------------------------


def key(text: str) -> tuple[str, tuple[tuple[str, object], ...]]:
    return (text, (("max_tokens", 3000),))


def document(text: str) -> DocumentNode:
    return parse(text)


def test_the_least_recently_used_document_makes_room() -> None:
    cache = DocumentCache(max_entries=2)
    for text in ("{ a }", "{ b }"):
        cache.add(key(text), document(text))
    assert cache.get(key("{ a }")) is not None  # a is now the most recently used
    cache.add(key("{ c }"), document("{ c }"))
    assert cache.get(key("{ b }")) is None
    assert cache.get(key("{ a }")) is not None
    assert cache.get(key("{ c }")) is not None
    assert len(cache) == 2


def test_the_characters_kept_are_bounded_and_long_documents_are_not_kept() -> None:
    cache = DocumentCache(max_entries=100, max_characters=100)
    long_text = "{ " + "a " * 10 + "}"  # 23 characters: more than a tenth of 100
    cache.add(key(long_text), document(long_text))
    assert cache.get(key(long_text)) is None
    texts = [f"{{ f{n} }}" for n in range(20)]  # 7 or 8 characters each
    for text in texts:
        cache.add(key(text), document(text))
    assert cache.characters <= 100
    assert cache.get(key(texts[-1])) is not None
    assert cache.get(key(texts[0])) is None


def test_a_document_is_found_only_under_the_parse_options_it_was_parsed_with() -> None:
    cache = DocumentCache()
    cache.add(("{ a }", (("max_tokens", 3000),)), document("{ a }"))
    assert cache.get(("{ a }", (("max_tokens", 10),))) is None
    assert cache.get(("{ a }", ())) is None


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="sizes must be >= 0"):
        DocumentCache(max_entries=-1)
