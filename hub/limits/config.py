"""The limits a GraphQL request is held to: :class:`QueryLimits`."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How big, deep, wide and costly one GraphQL operation may be; ``0`` turns a limit off.

    The defaults leave room for any portal page (a page of services and one of news cost
    about 40 and nest 4 levels deep) and for GraphiQL's introspection query.
    """

    max_depth: int = 12
    """Most levels of nested fields, the root fields being level 1."""
    max_aliases: int = 30
    """Most aliased fields (``a: field``) in the operation, fragments included."""
    max_tokens: int = 3000
    """Most tokens in the document (names, punctuation, values and comments), checked
    while parsing, so a huge document is not even read to its end."""
    max_cost: int = 2000
    """Highest estimated cost of the operation; see :mod:`hub.limits` for how it is computed."""
    default_list_size: int = 20
    """Not a limit: the size assumed for a list field that has no slicing argument and
    declares no ``assumedSize``; ``0`` counts such lists as empty."""

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                meaning = (
                    "0 counts unsliced lists as empty"
                    if field.name == "default_list_size"
                    else "0 turns the limit off"
                )
                raise ValueError(
                    f"QueryLimits.{field.name}: expected a whole number >= 0 ({meaning}), "
                    f"got {value!r}"
                )


__all__ = ["QueryLimits"]
