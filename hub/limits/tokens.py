"""The size limit: how many tokens a document has (``QUERY_TOO_LARGE``).

graphql-core's parser counts the tokens (names, punctuation, values and comments) as it
reads them and stops at the first one past ``max_tokens``, so a huge document costs no
more to refuse than a document of the limit's size.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from hub.limits.errors import QUERY_TOO_LARGE

_TOO_MANY_TOKENS = "Document contains more than "
"""How graphql-core's parser begins the description of its ``max_tokens`` error."""


class TokenLimit(SchemaExtension):
    """Refuses a document of more than ``limit`` tokens (0: no limit) while parsing it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if self.limit:
            context.parse_options["max_tokens"] = self.limit
        yield
        if not self.limit or context.graphql_document is not None:
            return
        for error in context.pre_execution_errors or ():
            if isinstance(error, GraphQLSyntaxError) and error.description.startswith(
                _TOO_MANY_TOKENS
            ):
                # Strawberry has already put this error object in the response it is
                # building, so it is re-worded in place rather than replaced.
                error.message = (
                    f"the query has more than {self.limit} tokens (names, punctuation, "
                    f"values and comments); the limit is {self.limit}: ask for fewer "
                    "fields, or move repeated selections into fragments"
                )
                error.extensions = {"code": QUERY_TOO_LARGE, "limit": self.limit}


__all__ = ["TokenLimit"]
