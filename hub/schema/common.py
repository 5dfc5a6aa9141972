"""Types shared by every domain of the graph: Node, PageInfo, connections, Money, Contact."""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, TypeVar

import strawberry

from hub import connector as hub

NodeT = TypeVar("NodeT")


@strawberry.interface(
    description="An object with a global ID of the form Type:agency:localId; "
    "`node(id)` fetches any of them."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The global ID: Type:agency:localId.")


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether records follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether records precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first record.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last record; pass it as `after` for the next page."
    )


@strawberry.type(description="A record in a page, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this record in the list.")
    node: NodeT = strawberry.field(description="The record.")


@strawberry.type(description="A page of a list merged across agencies.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The records of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    total_count: int = strawberry.field(
        description="How many records the whole list holds, across the agencies that answered."
    )

    @strawberry.field(description="The records of this page, without cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="An amount of money in a currency.")
class Money:
    amount: Decimal = strawberry.field(description="The amount, as a decimal string.")
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. KES.")

    @strawberry.field(description="The amount written for people, e.g. 'KES 1,050.00'.")
    def formatted(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"

    @classmethod
    def of(cls, money: hub.Money | None) -> Money | None:
        """The GraphQL form of a contract ``Money`` (or ``None``)."""
        return None if money is None else cls(amount=money.amount, currency=money.currency)


@strawberry.type(description="How citizens reach an agency.")
class Contact:
    email: str | None = strawberry.field(description="E-mail address for the public.")
    phone: str | None = strawberry.field(description="Telephone number for the public.")
    website: str | None = strawberry.field(description="Public website.")
    address: str | None = strawberry.field(description="Postal or street address.")

    @classmethod
    def of(cls, contact: hub.Contact) -> Contact:
        """The GraphQL form of a contract ``Contact``."""
        return cls(
            email=contact.email,
            phone=contact.phone,
            website=contact.website,
            address=contact.address,
        )


__all__ = ["Connection", "Contact", "Edge", "Money", "Node", "PageInfo"]
