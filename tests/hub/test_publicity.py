"""Which fields are public: the allow-list the response cache trusts, held to the schema."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    parse,
)

from hub.agencies import AgencyRegistry, load_agencies
from hub.gateway import Guard
from hub.schema import build_schema
from hub.schema.publicity import PUBLIC_FIELDS, private_field
from legacy.running import DEMO_FILE

DEMO_ENV = {"REVENUE_USERNAME": "u", "REVENUE_PASSWORD": "p", "IMMIGRATION_API_KEY": "k"}
PORTAL = """
query Portal($first: Int!) {
  services(first: $first) { totalCount edges { cursor node { id title fee { formatted }
    agency { key name contact { email } } } } pageInfo { hasNextPage endCursor } }
  news(first: $first) { nodes { id title publishedAt } }
  vacancies(first: $first) { edges { node { ...Closing } } }
  bids(first: $first) { edges { node { ...Closing reference estimatedValue { amount } } } }
  agencies { key capabilities }
  __typename
}
fragment Closing on AgencyRecord {
  id
  ... on Vacancy { closesAt isOpen salary { currency } }
  ... on Bid { closesAt isOpen }
}
"""


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    registry = AgencyRegistry(load_agencies(DEMO_FILE, environ=DEMO_ENV))
    return build_schema(registry, Guard(registry))._schema


def test_every_public_field_exists_and_leads_only_to_public_types(schema: GraphQLSchema) -> None:
    problems: list[str] = []
    for type_name, fields in PUBLIC_FIELDS.items():
        graphql_type = schema.get_type(type_name)
        if not isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            problems.append(f"{type_name}: no such object type or interface")
            continue
        for name in sorted(fields):
            field = graphql_type.fields.get(name)
            if field is None:
                problems.append(f"{type_name}.{name}: no such field")
                continue
            returned = get_named_type(field.type)
            if not is_leaf_type(returned) and returned.name not in PUBLIC_FIELDS:
                problems.append(f"{type_name}.{name}: returns {returned.name}, not a public type")
    assert problems == []


def test_a_portal_query_reads_only_public_data(schema: GraphQLSchema) -> None:
    assert private_field(schema, parse(PORTAL), "Portal") is None


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('{ ticket(trackingNumber: "CH-2026-000001") { status } }', "Query.ticket"),
        ("{ myTickets { totalCount } }", "Query.myTickets"),
        ('{ agencyTickets(agency: "police") { totalCount } }', "Query.agencyTickets"),
        ("{ ticketStatistics { key } }", "Query.ticketStatistics"),
        ("{ auditLog { totalCount } }", "Query.auditLog"),
        ('{ revenue { taxCompliance(pin: "A012345678Z") { status } } }', "Query.revenue"),
        ('{ node(id: "Service:revenue:1") { id } }', "Query.node"),
        ('{ agency(id: "police") { health { status } } }', "Agency.health"),
        ("{ __schema { queryType { name } } }", "Query.__schema"),
        ("{ services { totalCount } } { news { totalCount } }", "no single operation to run"),
        (
            'mutation { purgeAgencyCache(agency: "police") { purgedAt } }',
            "a mutation, not a query",
        ),
        (
            '{ services { totalCount } } mutation M { purgeAgencyCache(agency: "police") '
            "{ purgedAt } }",
            "no single operation to run",
        ),
    ],
)
def test_anything_not_listed_is_not_public(schema: GraphQLSchema, query: str, reason: str) -> None:
    assert private_field(schema, parse(query), None) == reason


def test_a_private_field_anywhere_in_the_document_counts(schema: GraphQLSchema) -> None:
    document = parse(
        """
        query Public { services { totalCount } }
        query Private { auditLog { totalCount } }
        fragment Unused on Query { myTickets { totalCount } }
        """
    )
    assert private_field(schema, document, "Public") == "Query.auditLog"


def test_fields_in_fragments_are_judged_on_the_type_they_select_from(
    schema: GraphQLSchema,
) -> None:
    document = parse("{ services { nodes { ...Identified } } } fragment Identified on Node { id }")
    assert private_field(schema, document, None) is None
    document = parse(
        '{ agency(id: "police") { ...Health } } fragment Health on Agency { health { detail } }'
    )
    assert private_field(schema, document, None) == "Agency.health"
