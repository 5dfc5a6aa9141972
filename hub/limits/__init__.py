"""Limits on GraphQL requests, so that no single request can wear out the hub or its agencies.

The hub adds ``*limit_extensions(QueryLimits(...))`` to its schema's extensions. The limits
are checked on the operation the request runs, before the document is validated and
before anything is executed, so a refused request reaches no agency. The response has no
``data`` and one error per limit exceeded, whose ``extensions`` say which and by how much:

================  =======  ====================  ========================
limit             default  ``extensions.code``   other extensions
================  =======  ====================  ========================
``max_tokens``    3000     ``QUERY_TOO_LARGE``   ``limit``
``max_depth``     12       ``QUERY_TOO_DEEP``    ``limit``, ``actual``
``max_aliases``   30       ``TOO_MANY_ALIASES``  ``limit``, ``actual``
``max_cost``      2000     ``QUERY_TOO_COSTLY``  ``limit``, ``actual``
================  =======  ====================  ========================

A limit set to 0 is off. ``default_list_size`` (20) is not a limit but the size assumed
for lists (see below). Numbers above 2^53 - 1 are reported as 2^53 - 1.

What counts
-----------
- **Tokens**: names, punctuation, values and comments of the whole document, counted by
  graphql-core's parser, which stops reading at the first token past the limit.
- **Depth**: levels of fields; the root fields are level 1, ``{ a { b } }`` is 2.
  Fragments add no level of their own.
- **Aliases**: aliased fields (``a: field``), each as often as it appears in the
  operation once its fragments are written out.
- Introspection fields (``__schema``, ``__type``, ``__typename``) and what they select
  count for neither depth nor cost: they are answered from the schema in memory, never by
  an agency, and their answers are bounded by the size of the schema. The circular
  introspection query (``fields { type { fields { ... } } }``) is refused by graphql-core's
  ``MaxIntrospectionDepthRule``, one of the standard rules Strawberry runs. Counting them
  would refuse GraphiQL's own introspection query, which nests 15 levels through
  ``ofType``.

How costs are computed
----------------------
The cost is a static estimate of the work an operation asks for, computed from the
document and the request's variables before it runs, as the GraphQL Cost Directives
specification (IBM; used by Apollo's demand control) describes. Fields declare their cost
with the directives of :mod:`hub.limits.directives`: ``@cost(weight: Int!)`` and
``@listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!])``.

1. A field's **weight** is its ``@cost(weight:)``; without one, 1 if the field returns an
   object, interface or union, 0 if it returns a scalar or an enum.
2. A field that returns one value costs its weight plus the cost of its selections.
3. A **list field** costs ``size * (weight + cost of its selections)``: every item pays.
   Its size is the largest value of its slicing arguments (``slicingArguments``) that the
   request gives, as a literal or as a variable (the request's value, else the variable's
   default); an argument the request leaves out counts with its default in the schema.
   Without any, the size is ``assumedSize``, else ``default_list_size``. Negative sizes
   count as 0.
4. **Connections**: a field with ``sizedFields`` applies its size to those fields of the
   type it returns rather than to itself. A field without ``@listSize`` that takes ``first``
   or ``last`` and returns a type with ``edges`` or ``nodes`` is a Relay connection, read as
   ``@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges", "nodes"])``.
5. **Fragments**, named and inline, count as if their fields were written in place; a
   named fragment spread twice in the same selection set counts once, as execution
   collects it once. Fragments on different types of an interface or union all count
   (the worst case). A field selected twice in one selection set counts twice, and
   fields under ``@skip`` or ``@include`` count as included.
6. The operation costs the sum of its root fields. Mutations have no base cost: a
   mutation field that writes should declare its weight.

With ``default_list_size`` 20:

- ``{ agencies { key name } }``: 20 * (1 + 0) = **20**.
- ``{ services(first: 10) { edges { cursor node { id title } } pageInfo { hasNextPage }
  totalCount } }``: the connection 1, plus 10 edges * (1 + the node 1), plus pageInfo 1,
  plus totalCount 0 = **22**.
- ``services`` without ``first`` uses its default page of 20: 1 + 20 * 2 = **41** for
  ``{ services { edges { node { id } } } }``.
- A connection of 100 in a connection of 100, ``{ a(first: 100) { edges { node {
  b(first: 100) { edges { node { id } } } } } } }``: b costs 1 + 100 * 2 = 201, so a
  costs 1 + 100 * (1 + (1 + 201)) = **20301**, over the default limit of 2000.

A field whose resolver calls an agency should declare ``@cost`` above 1, so that asking
for it many times costs what it should.

:func:`operation_cost` gives the same number to other callers (the rate limiter, say).
"""

from __future__ import annotations

from hub.limits.aliases import AliasLimit, operation_aliases
from hub.limits.config import QueryLimits
from hub.limits.cost import operation_cost
from hub.limits.cost_limit import CostLimit
from hub.limits.depth import DepthLimit, operation_depth
from hub.limits.directives import UPSTREAM_CALL_COST, Cost, ListSize
from hub.limits.errors import (
    QUERY_TOO_COSTLY,
    QUERY_TOO_DEEP,
    QUERY_TOO_LARGE,
    TOO_MANY_ALIASES,
)
from hub.limits.extensions import limit_extensions
from hub.limits.tokens import TokenLimit

__all__ = [
    "QUERY_TOO_COSTLY",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_LARGE",
    "TOO_MANY_ALIASES",
    "UPSTREAM_CALL_COST",
    "AliasLimit",
    "Cost",
    "CostLimit",
    "DepthLimit",
    "ListSize",
    "QueryLimits",
    "TokenLimit",
    "limit_extensions",
    "operation_aliases",
    "operation_cost",
    "operation_depth",
]
