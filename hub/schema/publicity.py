"""Which fields of the graph are public data, the same for every caller.

A whole response may be kept and served to other callers only when every field its
document selects is listed here (:func:`private_field`). The list is an allow-list on
purpose: a field added to the graph is not public until someone adds it, so a new
field holding personal data can never slip into the response cache. Left out, and so
never cached whole:

- tickets, ``myTickets``, ``agencyTickets``, ``ticketStatistics``, ``auditLog``: personal
  data or staff-only;
- the agencies' own lookups (``revenue``, ``immigration``, ``police``): personal data;
- ``node``: it also reaches tickets;
- ``Agency.health``: a live probe, not a cached answer;
- introspection (``__schema``, ``__type``): reads no agency, so it has no time to live.

A listed field that returns an object must return a type listed here too; the tests
hold the list to that and to the schema.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_operation_ast,
    visit,
)

_RECORD = frozenset({"id", "localId", "agency"})
_CONNECTION = frozenset({"edges", "pageInfo", "totalCount", "nodes"})
_EDGE = frozenset({"cursor", "node"})

PUBLIC_FIELDS: Mapping[str, frozenset[str]] = {
    "Query": frozenset({"agencies", "agency", "services", "service", "news", "vacancies", "bids"}),
    "Agency": frozenset(
        {"id", "key", "name", "shortName", "description", "contact", "capabilities"}
    ),
    "Contact": frozenset({"email", "phone", "website", "address"}),
    "Node": frozenset({"id"}),
    "AgencyRecord": _RECORD,
    "Service": _RECORD
    | {
        "title",
        "description",
        "category",
        "fee",
        "processingDays",
        "requirements",
        "online",
        "url",
        "updatedAt",
    },
    "NewsItem": _RECORD | {"title", "summary", "body", "category", "publishedAt", "url"},
    "Vacancy": _RECORD
    | {
        "title",
        "description",
        "category",
        "location",
        "positions",
        "grade",
        "salary",
        "opensAt",
        "closesAt",
        "url",
        "isOpen",
    },
    "Bid": _RECORD
    | {
        "reference",
        "title",
        "description",
        "category",
        "status",
        "publishedAt",
        "closesAt",
        "estimatedValue",
        "url",
        "isOpen",
    },
    "Money": frozenset({"amount", "currency", "formatted"}),
    "PageInfo": frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}),
    "ServiceConnection": _CONNECTION,
    "ServiceEdge": _EDGE,
    "NewsItemConnection": _CONNECTION,
    "NewsItemEdge": _EDGE,
    "VacancyConnection": _CONNECTION,
    "VacancyEdge": _EDGE,
    "BidConnection": _CONNECTION,
    "BidEdge": _EDGE,
}
"""GraphQL type name -> its fields that hold public data."""


def private_field(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> str | None:
    """Why the operation's answer is not public: the first field, as ``Type.field``, that
    is not in :data:`PUBLIC_FIELDS`, or a word on the operation; ``None`` when it is a
    query reading public fields only.

    Every definition of the document is read, including operations not run and
    fragments not spread: a document is judged as a whole, erring on the safe side.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return "no single operation to run"
    if operation.operation is not OperationType.QUERY:
        return f"a {operation.operation.value}, not a query"
    finder = _PrivateFields(TypeInfo(schema))
    visit(document, TypeInfoVisitor(finder.type_info, finder))
    return finder.found


class _PrivateFields(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: str | None = None

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> object:
        if node.operation is not OperationType.QUERY:
            self.found = f"a {node.operation.value} in the document"
            return self.BREAK
        return None

    def enter_field(self, node: FieldNode, *_: object) -> object:
        name = node.name.value
        if name == "__typename":
            return None
        parent = self.type_info.get_parent_type()
        owner = parent.name if parent is not None else "?"
        if name not in PUBLIC_FIELDS.get(owner, ()):
            self.found = f"{owner}.{name}"
            return self.BREAK
        return None


__all__ = ["PUBLIC_FIELDS", "private_field"]
