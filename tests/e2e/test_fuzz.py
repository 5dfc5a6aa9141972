"""Fuzzing /graphql of the running hub: whatever comes in, no 5xx, a JSON answer, no leaks.

Requests are generated from the hub's own schema (read by introspection): valid
queries, queries with one schema violation, operations whose variables are random
or well typed; and raw bodies and query strings of any text or JSON. Each answer
must have a status below 500, be a JSON object with ``data`` or ``errors``, and no
error may carry a stack trace or a Python exception's name.

Runs are reproducible (``derandomize``, no example database) and bounded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes, queries

from legacy.running import RunningStandIn
from tests.support.hub import RunningHub

GQL = "application/graphql-response+json"
FUZZ = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LEAKS = re.compile(
    r"Traceback|File \"|line \d+, in |\b[A-Z][A-Za-z]*(?:Error|Exception)\b"
    r"|NoneType|has no attribute|positional argument|keyword argument|<(?:class|object) "
)
"""What Python shows of itself when an exception escapes: a GraphQL error must not.

``Syntax Error: ...`` (graphql-core's wording, with a space) is not a class name."""
UNEXPECTED = frozenset({"AGENCY_ERROR", "INTERNAL_SERVER_ERROR", "INTERNAL_ERROR"})
"""Codes of failures nobody mapped: an exception escaped a connector or a resolver."""


# --- the schema, and strategies drawn from it ---------------------------------------------


@dataclass(frozen=True)
class Fuzzing:
    """The hub under fuzzing, its schema as introspection shows it, and what to send."""

    hub: RunningHub
    schema: graphql.GraphQLSchema
    valid: st.SearchStrategy[str]
    """Queries valid for the schema."""
    invalid: st.SearchStrategy[str]
    """Queries with one violation of the schema each."""
    operations: list[Operation]
    """One operation per field with arguments, its arguments passed as variables."""


@pytest.fixture(scope="module")
def fuzzing(hub: RunningHub) -> Fuzzing:
    body = hub.query(graphql.get_introspection_query())
    assert "errors" not in body, body
    schema = graphql.build_client_schema(body["data"])
    scalars = custom_scalars(schema)
    return Fuzzing(
        hub,
        schema,
        valid=queries(schema, custom_scalars=scalars),
        invalid=queries(schema, custom_scalars=scalars, mode=Mode.NEGATIVE),
        operations=operations(schema),
    )


def _quoted(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[graphql.ValueNode]:
    """Custom scalar literals: usually well formed, sometimes any text."""
    return st.one_of(strategy, strategy, st.text(max_size=30)).map(nodes.String)


SCALAR_LITERALS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "Date": _quoted(st.dates()),
    "DateTime": _quoted(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat())),
    "Decimal": _quoted(st.decimals(allow_nan=False, allow_infinity=False)),
}
ANY_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def custom_scalars(schema: graphql.GraphQLSchema) -> dict[str, st.SearchStrategy[Any]]:
    """Literal strategies for the schema's own scalars (any text for ones we do not know)."""
    return {
        name: SCALAR_LITERALS.get(name, st.text(max_size=30).map(nodes.String))
        for name, type_ in schema.type_map.items()
        if isinstance(type_, graphql.GraphQLScalarType)
        and not graphql.is_specified_scalar_type(type_)
        and not name.startswith("__")
    }


def variable_values(type_: graphql.GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values for a variable of ``type_``: mostly of the type, sometimes anything."""
    if isinstance(type_, graphql.GraphQLNonNull):
        return _typed_values(type_.of_type, depth)
    return st.none() | _typed_values(type_, depth)


def _typed_values(type_: graphql.GraphQLInputType, depth: int) -> st.SearchStrategy[Any]:
    if depth > 3:
        return ANY_JSON
    typed: st.SearchStrategy[Any]
    if isinstance(type_, graphql.GraphQLList):
        typed = st.lists(variable_values(type_.of_type, depth + 1), max_size=3)
    elif isinstance(type_, graphql.GraphQLEnumType):
        typed = st.sampled_from(sorted(type_.values))
    elif isinstance(type_, graphql.GraphQLInputObjectType):
        typed = st.fixed_dictionaries(
            {},
            optional={
                name: variable_values(field.type, depth + 1) for name, field in type_.fields.items()
            },
        )
    elif isinstance(type_, graphql.GraphQLScalarType):
        typed = {
            "Int": st.integers(min_value=-(2**31), max_value=2**31 - 1),
            "Float": st.floats(allow_nan=False, allow_infinity=False),
            "Boolean": st.booleans(),
        }.get(type_.name, st.text(max_size=30))
    else:
        typed = ANY_JSON
    return st.one_of(typed, typed, typed, ANY_JSON)


@dataclass(frozen=True)
class Operation:
    """One query declaring a variable for each argument of one field."""

    document: str
    variables: dict[str, graphql.GraphQLInputType]


def operations(schema: graphql.GraphQLSchema) -> list[Operation]:
    """An operation per field with arguments, on ``Query`` and on the types it returns."""
    assert schema.query_type is not None
    found: list[Operation] = []
    for root_name, root_field in schema.query_type.fields.items():
        if root_field.args:
            found.append(_operation([root_name], root_field))
        named = graphql.get_named_type(root_field.type)
        if isinstance(named, graphql.GraphQLObjectType) and not root_field.args:
            for name, field in named.fields.items():
                if field.args:
                    found.append(_operation([root_name, name], field))
    return found


def _operation(path: list[str], field: graphql.GraphQLField) -> Operation:
    declared = ", ".join(f"${name}: {arg.type}" for name, arg in field.args.items())
    passed = ", ".join(f"{name}: ${name}" for name in field.args)
    named = graphql.get_named_type(field.type)
    leaf = f"{path[-1]}({passed})" + ("" if graphql.is_leaf_type(named) else " { __typename }")
    selection = leaf
    for outer in reversed(path[:-1]):
        selection = f"{outer} {{ {selection} }}"
    return Operation(
        f"query Fuzz({declared}) {{ {selection} }}",
        {name: arg.type for name, arg in field.args.items()},
    )


# --- asking and checking ---------------------------------------------------------------


def post(hub: RunningHub, content: bytes, accept: str = GQL) -> httpx.Response:
    headers = {"content-type": "application/json", "accept": accept}
    return httpx.post(f"{hub.url}/graphql", content=content, headers=headers, timeout=60)


def get(hub: RunningHub, params: dict[str, str], accept: str = GQL) -> httpx.Response:
    return httpx.get(f"{hub.url}/graphql", params=params, headers={"accept": accept}, timeout=60)


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def assert_answered_safely(response: httpx.Response, sent: str) -> None:
    """No 5xx, a JSON object with data or errors, no Python internals in the errors,
    and no failure nobody mapped to an error of the graph.

    ``sent`` is the request as text: a suspicious word the caller sent and the hub
    quoted back (an unknown field named ``ValueError``) is not a leak.
    """
    described = f"{response.request.method} {response.request.url} {sent[:500]!r}"
    assert response.status_code < 500, f"{described} -> {response.status_code} {response.text}"
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith(("application/json", GQL)), (described, content_type)
    body = response.json()
    assert isinstance(body, dict), (described, body)
    assert "data" in body or body.get("errors"), (described, body)
    for error in body.get("errors") or []:
        assert isinstance(error.get("message"), str), (described, error)
        extensions = error.get("extensions") or {}
        assert not {"exception", "stacktrace", "traceback"} & set(extensions), (described, error)
        text = json.dumps(error, ensure_ascii=False)
        leaks = [m[0] for m in LEAKS.finditer(text) if m[0] not in sent]
        assert not leaks, f"{described} leaked {leaks}: {error}"
        if extensions.get("code") in UNEXPECTED:
            raise AssertionError(f"{described} failed unexpectedly: {error}")


# --- (a) queries from the schema --------------------------------------------------------


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_valid_queries_over_post(fuzzing: Fuzzing, data: st.DataObject) -> None:
    query = data.draw(fuzzing.valid)
    response = post(fuzzing.hub, body_of({"query": query}))
    assert_answered_safely(response, query)


@pytest.mark.slow
@settings(FUZZ, max_examples=30)
@given(data=st.data(), accept=st.sampled_from([GQL, "application/json", "*/*"]))
def test_valid_queries_over_get(fuzzing: Fuzzing, data: st.DataObject, accept: str) -> None:
    query = data.draw(fuzzing.valid)
    assert_answered_safely(get(fuzzing.hub, {"query": query}, accept), query)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_queries_breaking_the_schema(fuzzing: Fuzzing, data: st.DataObject) -> None:
    query = data.draw(fuzzing.invalid)
    response = post(fuzzing.hub, body_of({"query": query}))
    assert_answered_safely(response, query)
    assert response.status_code == 400 or response.json().get("errors"), query


@pytest.fixture
def failing(healthy: dict[str, RunningStandIn]) -> dict[str, RunningStandIn]:
    """Revenue and immigration down, police up.

    Not ``error_rate``: its draws from the global ``random`` in the stand-ins' threads
    make Hypothesis warn. Not police: an SQLite file fails only by a lock that waits
    out the timeout.
    """
    healthy["revenue"].set_faults(down=True)
    healthy["immigration"].set_faults(down=True)
    return healthy


@pytest.mark.slow
@settings(FUZZ, max_examples=30, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_valid_queries_while_agencies_fail(
    fuzzing: Fuzzing, failing: dict[str, RunningStandIn], data: st.DataObject
) -> None:
    query = data.draw(fuzzing.valid)
    assert_answered_safely(post(fuzzing.hub, body_of({"query": query})), query)


# --- (b) anything as a body or a query string -------------------------------------------

REQUEST_KEYS = st.sampled_from(["query", "variables", "operationName", "extensions"])


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(body=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(repr)))
def test_any_text_as_the_body(fuzzing: Fuzzing, body: str) -> None:
    assert_answered_safely(post(fuzzing.hub, body.encode("utf-8", "surrogatepass")), body)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(body=st.binary(max_size=200))
def test_any_bytes_as_the_body(fuzzing: Fuzzing, body: bytes) -> None:
    assert_answered_safely(post(fuzzing.hub, body), repr(body))


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(
    payload=st.one_of(
        ANY_JSON,
        st.dictionaries(REQUEST_KEYS, ANY_JSON, max_size=4),
        st.fixed_dictionaries(
            {"query": st.sampled_from(["{ agencies { key } }", "query Q { __typename }"])},
            optional={"variables": ANY_JSON, "operationName": ANY_JSON, "extensions": ANY_JSON},
        ),
    )
)
def test_any_json_as_the_body(fuzzing: Fuzzing, payload: Any) -> None:
    sent = json.dumps(payload, ensure_ascii=False)
    assert_answered_safely(post(fuzzing.hub, sent.encode()), sent)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(
    params=st.dictionaries(REQUEST_KEYS | st.text(max_size=10), st.text(max_size=60), max_size=4),
    accept=st.sampled_from([GQL, "application/json", "*/*", "application/xml", ""]),
)
def test_any_query_string_over_get(fuzzing: Fuzzing, params: dict[str, str], accept: str) -> None:
    assert_answered_safely(get(fuzzing.hub, params, accept), json.dumps(params))


# --- (c) random variables ---------------------------------------------------------------


@pytest.mark.slow
@settings(FUZZ, max_examples=80)
@given(data=st.data(), over_get=st.booleans())
def test_random_variables(fuzzing: Fuzzing, data: st.DataObject, over_get: bool) -> None:
    operation = data.draw(st.sampled_from(fuzzing.operations))
    variables = data.draw(
        st.fixed_dictionaries(
            {}, optional={k: variable_values(t) for k, t in operation.variables.items()}
        )
        | st.dictionaries(st.text(max_size=10), ANY_JSON, max_size=3),
        label="variables",
    )
    payload = {"query": operation.document, "variables": variables}
    sent = json.dumps(payload, ensure_ascii=False)
    if over_get:
        response = get(fuzzing.hub, {"query": operation.document, "variables": sent})
    else:
        response = post(fuzzing.hub, sent.encode())
    assert_answered_safely(response, sent)


def test_control_characters_in_a_filter_are_bad_user_input(
    fuzzing: Fuzzing, healthy: dict[str, RunningStandIn]
) -> None:
    query = '{ services(filter: {text: "a\\u0001b"}) { totalCount } }'
    body = post(fuzzing.hub, body_of({"query": query})).json()
    codes = {error["extensions"]["code"] for error in body.get("errors", [])}
    assert codes == {"BAD_USER_INPUT"}, body


def test_the_operations_cover_every_field_with_arguments(fuzzing: Fuzzing) -> None:
    documents = [operation.document for operation in fuzzing.operations]
    assert any("services(first: $first" in d for d in documents), documents
    assert any(re.search(r"revenue \{ \w+\(", d) for d in documents), documents
    for document in documents:
        assert not graphql.validate(fuzzing.schema, graphql.parse(document)), document


def answer(status: int, body: dict[str, Any]) -> httpx.Response:
    request = httpx.Request("POST", "http://hub/graphql")
    return httpx.Response(status, json=body, request=request)


@pytest.mark.parametrize(
    "response",
    [
        answer(500, {"errors": [{"message": "internal error"}]}),
        answer(200, {"errors": [{"message": "KeyError: 'pin'"}]}),
        answer(200, {"errors": [{"message": 'File "/hub/x.py", line 3, in f'}]}),
        answer(200, {"errors": [{"message": "m", "extensions": {"stacktrace": ["..."]}}]}),
        answer(400, {"unexpected": True}),
    ],
)
def test_the_check_refuses_unsafe_answers(response: httpx.Response) -> None:
    with pytest.raises(AssertionError):
        assert_answered_safely(response, "{ agencies { key } }")


def test_the_check_allows_words_the_caller_sent() -> None:
    response = answer(400, {"errors": [{"message": "Cannot query field 'ValueError' on 'Query'."}]})
    assert_answered_safely(response, "{ ValueError }")
