"""Query limits: depth, aliases, tokens and cost, refused before anything runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import orjson
import pytest
import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, get_introspection_query, parse
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from hub.agencies import AgencyRegistry, load_agencies
from hub.gateway import Guard
from hub.limits import (
    QUERY_TOO_COSTLY,
    QUERY_TOO_DEEP,
    QUERY_TOO_LARGE,
    TOO_MANY_ALIASES,
    Cost,
    ListSize,
    QueryLimits,
    limit_extensions,
    operation_aliases,
    operation_cost,
    operation_depth,
)
from hub.limits.errors import MAX_REPORTED
from hub.schema import HubSchema, build_schema
from hub.schema.errors import HubErrors
from legacy.running import DEMO_FILE

DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}

# --- a small schema whose resolvers record that they ran -------------------------------

Info = strawberry.Info[dict[str, list[str]], None]


@strawberry.type
class Tag:
    name: str


@strawberry.type
class Item:
    id: strawberry.ID
    name: str

    @strawberry.field(directives=[Cost(weight=5)])
    def price(self) -> int:
        return 10

    @strawberry.field
    def tags(self) -> list[Tag]:
        return [Tag(name="new")]

    @strawberry.field(directives=[ListSize(slicing_arguments=["limit"], assumed_size=7)])
    def related(self, limit: int | None = None) -> list[Item]:
        return []

    @strawberry.field
    def children(self, info: Info, first: int = 10) -> ItemConnection:
        return page(info, "children", first)


@strawberry.type
class ItemEdge:
    cursor: str
    node: Item


@strawberry.type
class ItemConnection:
    edges: list[ItemEdge]
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Item]:
        return [edge.node for edge in self.edges]


@strawberry.type
class Person:
    name: str

    @strawberry.field
    def friends(self) -> list[Person]:
        return []

    @strawberry.field
    def best_friend(self) -> Person | None:
        return None


Result = Annotated[Item | Person, strawberry.union("Result")]


def page(info: Info, field: str, first: int) -> ItemConnection:
    info.context["calls"].append(field)
    items = [Item(id=strawberry.ID(str(i)), name=f"item {i}") for i in range(min(first, 3))]
    return ItemConnection(
        edges=[ItemEdge(cursor=str(i), node=item) for i, item in enumerate(items)],
        total_count=len(items),
    )


@strawberry.type
class Query:
    @strawberry.field
    def items(self, info: Info, first: int = 20, last: int | None = None) -> ItemConnection:
        return page(info, "items", first)

    @strawberry.field(directives=[ListSize(slicing_arguments=["size"], sized_fields=["edges"])])
    def catalog(self, info: Info, size: int = 5) -> ItemConnection:
        return page(info, "catalog", size)

    @strawberry.field
    def item(self, info: Info, id: strawberry.ID) -> Item | None:
        info.context["calls"].append("item")
        return Item(id=id, name="one")

    @strawberry.field
    def person(self, info: Info) -> Person:
        info.context["calls"].append("person")
        return Person(name="Ada")

    @strawberry.field
    def search(self, info: Info) -> list[Result]:
        info.context["calls"].append("search")
        return []


SMALL = strawberry.Schema(Query)


def small(limits: QueryLimits | None = None) -> strawberry.Schema:
    """The small schema, held to ``limits``."""
    return strawberry.Schema(Query, extensions=limit_extensions(limits))


async def run(
    schema: strawberry.Schema, query: str, variables: dict[str, Any] | None = None
) -> tuple[ExecutionResult, list[str]]:
    """The result of ``query``, and the resolvers that recorded they ran."""
    calls: list[str] = []
    result = await schema.execute(query, variables, context_value={"calls": calls})
    return result, calls


def refusal(result: ExecutionResult) -> GraphQLError:
    """The one error of a refused request, which has no data."""
    assert result.data is None
    assert result.errors is not None
    assert len(result.errors) == 1, [e.message for e in result.errors]
    return result.errors[0]


def inside(query: str) -> str:
    """The selections of ``query``, without its outer braces."""
    return " " + query.strip()[1:-1] + " "


def cost(query: str, variables: dict[str, Any] | None = None, **limits: int) -> int:
    return operation_cost(parse(query), SMALL, variables, QueryLimits(**limits))


def nested(levels: int) -> str:
    """A query on the small schema that nests ``levels`` levels deep."""
    return "{ person " + "{ bestFriend " * (levels - 2) + "{ name }" + " }" * (levels - 2) + " }"


# --- the hub's own schema, built without contacting any agency --------------------------


class DryRun(SchemaExtension):
    """Stands in for execution: no resolver runs, so no agency is contacted."""

    def on_execute(self) -> Iterator[None]:
        self.execution_context.result = GraphQLExecutionResult(data={"dryRun": True})
        yield


@pytest.fixture(scope="module")
def hub_query() -> type:
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    query: type = build_schema(registry, Guard(registry)).query
    return query


def hub(query: type, limits: QueryLimits | None = None, *extra: Any) -> HubSchema:
    """The hub's schema with its error coding and ``limits``, as the hub composes it."""
    return HubSchema(query=query, extensions=[HubErrors, *limit_extensions(limits), *extra])


PORTAL = """
{
  services(first: 10) { edges { node { id title } } }
  news(first: 10) { edges { node { id title } } }
}
"""


# --- QueryLimits and the extensions ----------------------------------------------------


def test_the_defaults_leave_room_for_a_portal() -> None:
    limits = QueryLimits()
    assert (limits.max_depth, limits.max_aliases, limits.max_tokens, limits.max_cost) == (
        12,
        30,
        3000,
        2000,
    )
    assert limits.default_list_size == 20
    assert len(limit_extensions()) == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_depth", -1), ("max_cost", 1.5), ("max_tokens", True), ("default_list_size", -3)],
)
def test_a_limit_must_be_a_whole_number_of_at_least_0(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"QueryLimits\.{field}: expected a whole number >= 0"):
        QueryLimits(**{field: value})


def test_limits_set_to_0_add_no_extension() -> None:
    off = QueryLimits(max_depth=0, max_aliases=0, max_tokens=0, max_cost=0)
    assert limit_extensions(off) == []
    assert len(limit_extensions(QueryLimits(max_depth=0, max_cost=0))) == 2


async def test_limits_set_to_0_are_off() -> None:
    off = small(QueryLimits(max_depth=0, max_aliases=0, max_tokens=0, max_cost=0))
    aliases = " ".join(f"a{i}: person {{ name }}" for i in range(40))
    pages = "items(first: 100) { edges { node { children(first: 100) { nodes { id } } } } }"
    query = "# padding\n" * 10_000 + "{ " + aliases + inside(nested(50)) + pages + " }"
    assert cost(query) > QueryLimits().max_cost
    result, calls = await run(off, query)
    assert result.errors is None
    assert calls.count("person") == 41
    assert "items" in calls


async def test_the_limits_also_hold_when_executing_synchronously() -> None:
    result = small().execute_sync(nested(13), context_value={"calls": []})
    assert refusal(result).extensions == {"code": QUERY_TOO_DEEP, "limit": 12, "actual": 13}


# --- depth -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("{ person { name } }", 2),
        ("{ a: person { name } b: person { friends { name } } }", 3),
        ("{ person { ...F } } fragment F on Person { friends { name } }", 3),
        ("{ person { ... on Person { friends { friends { name } } } } }", 4),
        ("{ ...Q } fragment Q on Query { person { ...P } } fragment P on Person { name }", 2),
        ("{ person { __typename } }", 1),
        ("{ __schema { types { fields { type { name } } } } }", 0),
        (nested(50), 50),
    ],
)
def test_depth_counts_levels_of_fields_through_fragments(query: str, depth: int) -> None:
    assert operation_depth(parse(query)) == depth


async def test_a_query_50_levels_deep_is_refused_before_anything_runs() -> None:
    result, calls = await run(small(), nested(50))
    error = refusal(result)
    assert error.extensions == {"code": QUERY_TOO_DEEP, "limit": 12, "actual": 50}
    assert error.message == (
        "the query nests 50 levels deep; the limit is 12: ask for fewer nested fields, "
        "or split the query"
    )
    assert calls == []


async def test_a_query_as_deep_as_the_limit_runs() -> None:
    result, calls = await run(small(), nested(12))
    assert result.errors is None
    assert calls == ["person"]
    result, calls = await run(small(), nested(13))
    assert refusal(result).extensions == {"code": QUERY_TOO_DEEP, "limit": 12, "actual": 13}
    assert calls == []


async def test_a_named_operation_is_named_in_the_message() -> None:
    result, _ = await run(small(QueryLimits(max_depth=2)), "query Deep " + nested(3))
    assert refusal(result).message.startswith("the query Deep nests 3 levels deep")


async def test_the_hub_refuses_a_query_50_levels_deep_with_its_code(hub_query: type) -> None:
    deep = "{ agencies " + "{ contact " * 48 + "{ email }" + " }" * 48 + " }"
    result = await hub(hub_query).execute(deep)
    error = refusal(result)
    # No GRAPHQL_VALIDATION_FAILED for contact.contact: the document is refused before
    # it is validated.
    assert error.extensions == {"code": QUERY_TOO_DEEP, "limit": 12, "actual": 50}


# --- aliases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "aliases"),
    [
        ("{ person { name } }", 0),
        ("{ a: person { n: name } b: person { name } }", 3),
        ("{ item(id: 1) { ...F } } fragment F on Item { a: id b: name }", 2),
        ("{ x: item(id: 1) { ...F } y: item(id: 2) { ...F } } fragment F on Item { a: id }", 4),
        ("{ item(id: 1) { ...F ...F } } fragment F on Item { a: id b: name }", 2),
        ("{ item(id: 1) { ... on Item { a: id } ... { b: id } } }", 2),
    ],
)
def test_aliases_are_counted_where_they_appear(query: str, aliases: int) -> None:
    assert operation_aliases(parse(query)) == aliases


async def test_31_aliases_are_refused_and_30_run() -> None:
    def aliased(count: int) -> str:
        return "{ " + " ".join(f"a{i}: person {{ name }}" for i in range(count)) + " }"

    result, calls = await run(small(), aliased(30))
    assert result.errors is None
    assert len(calls) == 30
    result, calls = await run(small(), aliased(31))
    error = refusal(result)
    assert error.extensions == {"code": TOO_MANY_ALIASES, "limit": 30, "actual": 31}
    assert "has 31 aliased fields; the limit is 30" in error.message
    assert calls == []


async def test_the_hub_refuses_1000_aliases(hub_query: type) -> None:
    query = "{ " + " ".join(f"a{i}: agencies {{ key }}" for i in range(1000)) + " }"
    result = await hub(hub_query, QueryLimits(max_tokens=0, max_cost=0)).execute(query)
    assert refusal(result).extensions == {
        "code": TOO_MANY_ALIASES,
        "limit": 30,
        "actual": 1000,
    }
    # With every default, the document is already too long to be read to its end.
    result = await hub(hub_query).execute(query)
    assert refusal(result).extensions == {"code": QUERY_TOO_LARGE, "limit": 3000}


# --- tokens ----------------------------------------------------------------------------


async def test_the_hub_refuses_a_document_of_10_000_tokens(hub_query: type) -> None:
    query = "{ agencies { " + "key " * 9995 + "} }"
    result = await hub(hub_query).execute(query)
    error = refusal(result)
    # Not GRAPHQL_PARSE_FAILED: the parser's error is reworded and coded.
    assert error.extensions == {"code": QUERY_TOO_LARGE, "limit": 3000}
    assert error.message.startswith("the query has more than 3000 tokens")


async def test_comments_count_as_tokens() -> None:
    query = "# padding\n" * 3000 + "{ person { name } }"
    result, calls = await run(small(), query)
    assert refusal(result).extensions == {"code": QUERY_TOO_LARGE, "limit": 3000}
    assert calls == []
    result, calls = await run(small(QueryLimits(max_tokens=3010)), query)
    assert result.errors is None
    assert calls == ["person"]


async def test_other_syntax_errors_are_left_as_they_are() -> None:
    result, _ = await run(small(), "{ person { name }")
    error = refusal(result)
    assert error.message.startswith("Syntax Error: Expected Name, found <EOF>")
    assert not error.extensions


# --- cost ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the connection 1, plus 5 edges * (the edge 1 + the node 1); scalars cost 0
        ("{ items(first: 5) { edges { cursor node { id name } } totalCount } }", 11),
        ("{ items(first: 5) { nodes { id } } }", 6),
        ("{ items { nodes { id } } }", 21),  # first's default in the schema: 20
        ("{ items(first: 2, last: 6) { nodes { id } } }", 7),  # the larger slice
        ("{ items(first: -5) { nodes { id } } }", 1),
        ("{ items(first: 2) { nodes { price } } }", 13),  # @cost(weight: 5) per item
        ("{ items(first: 1) { nodes { tags { name } } } }", 22),  # unsliced: 20 tags
        ("{ items(first: 1) { nodes { related { id } } } }", 9),  # assumedSize 7
        ("{ items(first: 1) { nodes { related(limit: 2) { id } } } }", 4),
        # sizedFields: ["edges"] sizes the edges; nodes keep the default size 20
        ("{ catalog(size: 4) { edges { node { id } } nodes { id } } }", 29),
        ("{ catalog { edges { node { id } } } }", 11),  # size's default: 5
        # union members: every fragment counts, 20 results * (1 + price 5 + name 0)
        ("{ search { ... on Item { price } ... on Person { name } } }", 120),
        ("{ person { name __typename } __typename }", 1),
        ("{ __schema { types { fields { name } } } }", 0),
    ],
)
def test_the_cost_of_fields_and_lists(query: str, expected: int) -> None:
    assert cost(query) == expected


def test_unsliced_lists_take_the_default_list_size() -> None:
    query = "{ items(first: 1) { nodes { tags { name } } } }"
    assert cost(query, default_list_size=3) == 5
    assert cost(query, default_list_size=0) == 2


NESTED = """
query Nested($outer: Int = 3, $inner: Int) {
  items(first: $outer) { edges { node { children(first: $inner) { edges { node { id } } } } } }
}
"""


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        # children: 1 + inner * 2; node: 1 + children; edge: 1 + node; items: 1 + outer * edge
        (100, 100, 1 + 100 * (1 + 1 + (1 + 100 * 2))),
        (5, 5, 1 + 5 * (1 + 1 + (1 + 5 * 2))),
        (5.0, 5, 66),  # JSON numbers may arrive as floats
        (None, 5, 1 + 3 * (1 + 1 + 11)),  # $outer left out: its default, 3
        (5, None, 1 + 5 * (1 + 1 + (1 + 10 * 2))),  # $inner left out: first's default, 10
        ("5", 5, 1 + 20 * (1 + 1 + 11)),  # not a number: the default list size
    ],
)
def test_variables_give_the_slicing_arguments(outer: Any, inner: Any, expected: int) -> None:
    variables = {
        name: value for name, value in (("outer", outer), ("inner", inner)) if value is not None
    }
    assert cost(NESTED, variables) == expected


async def test_first_100_in_first_100_is_refused_and_first_5_runs() -> None:
    result, calls = await run(small(), NESTED, {"outer": 100, "inner": 100})
    error = refusal(result)
    assert error.extensions == {"code": QUERY_TOO_COSTLY, "limit": 2000, "actual": 20301}
    assert error.message == (
        "the query Nested would cost 20301 points; the limit is 2000: ask for smaller pages "
        "(first/last), fewer nested lists or fewer fields, or split the query"
    )
    assert calls == []
    result, calls = await run(small(), NESTED, {"outer": 5, "inner": 5})
    assert result.errors is None
    assert calls == ["items", "children", "children", "children"]


async def test_a_query_costing_the_limit_runs() -> None:
    query = "{ items(first: 5) { nodes { price } } }"  # 1 + 5 * 6
    result, _ = await run(small(QueryLimits(max_cost=31)), query)
    assert result.errors is None
    result, _ = await run(small(QueryLimits(max_cost=30)), query)
    assert refusal(result).extensions == {"code": QUERY_TOO_COSTLY, "limit": 30, "actual": 31}


async def test_every_limit_exceeded_is_reported() -> None:
    pages = " ".join(f"a{i}: items(first: 100) {{ nodes {{ id }} }}" for i in range(31))
    query = "{ " + pages + inside(nested(13)) + " }"
    result, calls = await run(small(), query)
    assert result.data is None
    assert [e.extensions["code"] for e in result.errors or [] if e.extensions] == [
        QUERY_TOO_DEEP,
        TOO_MANY_ALIASES,
        QUERY_TOO_COSTLY,
    ]
    assert calls == []


def test_fragments_cost_what_their_fields_cost_in_place() -> None:
    inline = "{ items(first: 5) { edges { node { id name price } } } }"
    named = """
      { items(first: 5) { ...Page } }
      fragment Page on ItemConnection { edges { node { ...Fields } } }
      fragment Fields on Item { id name price }
    """
    anonymous = "{ items(first: 5) { ... on ItemConnection { edges { node { ... { price } } } } } }"
    assert cost(inline) == cost(named) == cost(anonymous) == 1 + 5 * (1 + 1 + 5)


def test_a_fragment_spread_twice_in_one_selection_counts_once() -> None:
    fields = "fragment Fields on Item { price }"
    once = cost("{ items(first: 5) { nodes { ...Fields } } } " + fields)
    twice = cost("{ items(first: 5) { nodes { ...Fields ...Fields } } } " + fields)
    apart = cost(
        "{ a: items(first: 5) { nodes { ...Fields } } b: items(first: 5) { nodes { ...Fields } } }"
        + fields
    )
    assert once == twice == 1 + 5 * 6
    assert apart == 2 * once


def test_sized_fields_are_found_through_fragments() -> None:
    query = """
      { items(first: 100) { ...A } }
      fragment A on ItemConnection { ...B }
      fragment B on ItemConnection { ... on ItemConnection { edges { node { id } } } }
    """
    assert cost(query) == 1 + 100 * 2


def fan_out(levels: int) -> str:
    """Fragments that each select the one below twice: 2**levels copies of the last."""
    fragments = ["fragment F0 on Item { id }"]
    fragments += [
        f"fragment F{k} on Item {{ a: related(limit: 1) {{ ...F{k - 1} }} "
        f"b: related(limit: 1) {{ ...F{k - 1} }} }}"
        for k in range(1, levels + 1)
    ]
    return f'{{ item(id: "1") {{ ...F{levels} }} }} ' + " ".join(fragments)


def test_fragments_fanning_out_are_measured_without_walking_every_copy() -> None:
    document = parse(fan_out(40))
    # F_k costs 2 * (1 + F_(k-1)) with F_0 = 0, so 2**(k+1) - 2; the item adds 1.
    assert operation_cost(document, SMALL) == 2**41 - 1
    assert operation_aliases(document) == 2**41 - 2
    assert operation_depth(document) == 42


async def test_a_cost_too_large_for_json_is_reported_as_2_to_the_53_minus_1() -> None:
    result, calls = await run(small(QueryLimits(max_depth=0, max_aliases=0)), fan_out(70))
    error = refusal(result)
    assert error.extensions == {"code": QUERY_TOO_COSTLY, "limit": 2000, "actual": MAX_REPORTED}
    assert orjson.loads(orjson.dumps(error.formatted))["extensions"]["actual"] == 2**53 - 1
    assert operation_cost(parse(fan_out(70)), SMALL) == MAX_REPORTED
    assert calls == []


def test_long_fragment_chains_do_not_exhaust_the_stack() -> None:
    length = 3000
    same_level = [f"fragment F{i} on Item {{ ...F{i + 1} }}" for i in range(length)]
    same_level.append(f"fragment F{length} on Item {{ price }}")
    document = parse('{ item(id: "1") { ...F0 } } ' + " ".join(same_level))
    assert (operation_cost(document, SMALL), operation_depth(document)) == (6, 2)
    deeper = [
        f"fragment F{i} on Item {{ related(limit: 1) {{ ...F{i + 1} }} }}" for i in range(length)
    ]
    deeper.append(f"fragment F{length} on Item {{ id }}")
    document = parse('{ item(id: "1") { ...F0 } } ' + " ".join(deeper))
    assert operation_depth(document) == length + 2
    assert operation_cost(document, SMALL) == 1 + length


async def test_fragment_cycles_are_cut_and_left_to_validation() -> None:
    cycles = [
        '{ item(id: "1") { ...A } } '
        "fragment A on Item { id ...B } fragment B on Item { name ...A }",
        '{ item(id: "1") { ...A } } fragment A on Item { related { ...A } }',
    ]
    for query in cycles:
        document = parse(query)
        assert operation_cost(document, SMALL) >= 1
        assert operation_depth(document) >= 2
        assert operation_aliases(document) == 0
        result, calls = await run(small(), query)
        assert result.data is None
        assert any(
            "Cannot spread fragment 'A' within itself" in e.message for e in result.errors or []
        )
        assert calls == []


def test_unknown_fields_types_and_fragments_cost_nothing() -> None:
    query = '{ nope { x } item(id: "1") { ...Missing ... on Nope { y } unknown } ...Gone }'
    assert cost(query) == 1
    assert operation_depth(parse(query)) == 2


def test_the_operation_is_chosen_by_name() -> None:
    document = parse(
        "query Small { items(first: 1) { nodes { id } } } "
        "query Large { items(first: 50) { nodes { id } } }"
    )
    assert operation_cost(document, SMALL, operation_name="Small") == 2
    assert operation_cost(document, SMALL, operation_name="Large") == 51
    assert operation_cost(document, SMALL) == 0  # which one would run is unclear
    assert operation_cost(document, SMALL, operation_name="Missing") == 0


def test_the_cost_is_the_same_from_the_graphql_core_schema() -> None:
    document = parse(NESTED)
    assert operation_cost(document, SMALL._schema, {"outer": 7, "inner": 2}) == cost(
        NESTED, {"outer": 7, "inner": 2}
    )


def test_the_directives_are_part_of_the_sdl() -> None:
    sdl = SMALL.as_str()
    assert "directive @cost(weight: Int!) on FIELD_DEFINITION" in sdl
    assert "price: Int! @cost(weight: 5)" in sdl
    assert '@listSize(assumedSize: 7, slicingArguments: ["limit"]' in sdl


def test_a_directive_with_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match=r"@cost\(weight:\): expected a whole number >= 0"):
        Cost(weight=-1)
    with pytest.raises(ValueError, match=r"@listSize\(assumedSize:\): expected a whole number"):
        ListSize(assumed_size=-1)


# --- the hub's schema ------------------------------------------------------------------


def test_the_portal_queries_cost_what_the_rules_say(hub_query: type) -> None:
    schema = hub(hub_query)
    document = parse(PORTAL)
    # per listing: the connection 1 + 10 * (the edge 1 + the node 1)
    assert operation_cost(document, schema) == 2 * 21
    assert operation_depth(document) == 4
    assert operation_aliases(document) == 0
    # the end-to-end portal query, with its largest page of 100
    portal = """
    query Portal($first: Int!) {
      services(first: $first) { totalCount edges { node { id title agency { key } } } }
      news(first: $first) { totalCount edges { node { id publishedAt agency { key } } } }
      vacancies(first: $first) { totalCount edges { node { id closesAt agency { key } } } }
      bids(first: $first) { totalCount edges { node { id closesAt agency { key } } } }
    }
    """
    assert operation_cost(parse(portal), schema, {"first": 100}) == 4 * (1 + 100 * 3)


async def test_the_hub_lets_a_portal_query_through(hub_query: type) -> None:
    result = await hub(hub_query, None, DryRun).execute(PORTAL)
    assert result.errors is None
    assert result.data == {"dryRun": True}


async def test_the_hub_answers_graphiql_introspection_under_the_default_limits(
    hub_query: type,
) -> None:
    result = await hub(hub_query).execute(get_introspection_query())
    assert result.errors is None
    assert result.data is not None
    assert result.data["__schema"]["queryType"]["name"] == "Query"


async def test_the_hub_refuses_a_page_too_costly_with_its_code(hub_query: type) -> None:
    query = "query Big($n: Int!) { services(first: $n) { edges { node { id } } } }"
    result = await hub(hub_query).execute(query, variable_values={"n": 100_000})
    error = refusal(result)
    assert error.extensions == {"code": QUERY_TOO_COSTLY, "limit": 2000, "actual": 200_001}
    assert error.message.startswith("the query Big would cost 200001 points")
