"""``limit_extensions(limits)``: the schema extensions that hold requests to ``limits``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from strawberry.extensions import SchemaExtension

from hub.limits.aliases import AliasLimit
from hub.limits.config import QueryLimits
from hub.limits.cost_limit import CostLimit
from hub.limits.depth import DepthLimit
from hub.limits.tokens import TokenLimit


def limit_extensions(limits: QueryLimits | None = None) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions that enforce ``limits`` (default: :class:`QueryLimits`
    defaults), for ``strawberry.Schema(..., extensions=[...])``; a limit set to 0 adds none.

    Each makes a fresh extension per request, as Strawberry asks. Put them before other
    extensions; a ``ValidationCache``, if any, must come first, since it replaces the
    errors found before it.
    """
    limits = limits or QueryLimits()
    factories: list[Callable[[], SchemaExtension]] = []
    if limits.max_tokens:
        factories.append(partial(TokenLimit, limits.max_tokens))
    if limits.max_depth:
        factories.append(partial(DepthLimit, limits.max_depth))
    if limits.max_aliases:
        factories.append(partial(AliasLimit, limits.max_aliases))
    if limits.max_cost:
        factories.append(partial(CostLimit, limits))
    return factories


__all__ = ["limit_extensions"]
