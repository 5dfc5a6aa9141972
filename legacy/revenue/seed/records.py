"""The records the revenue stand-in serves, as its database would hold them.

Like the system it stands in for, the stand-in keeps local (Africa/Nairobi) times
without an offset: every ``datetime`` here is naive and means East Africa Time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


class TenderCategory(enum.StrEnum):
    """The procurement categories of the Public Procurement and Asset Disposal Act."""

    GOODS = "GOODS"
    WORKS = "WORKS"
    SERVICES = "SERVICES"
    CONSULTANCY = "CONSULTANCY"


class TenderStatus(enum.StrEnum):
    """Where a tender stands in the procurement cycle."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    AWARDED = "AWARDED"
    CANCELLED = "CANCELLED"


class TaxpayerType(enum.StrEnum):
    """Whether a PIN belongs to a person or to a company."""

    INDIVIDUAL = "INDIVIDUAL"
    COMPANY = "COMPANY"


class ComplianceStatus(enum.StrEnum):
    """The state of a taxpayer's Tax Compliance Certificate (TCC)."""

    VALID = "VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    NONE = "NONE"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueService:
    """A service of the citizen service catalogue; ``fee`` is in KES (0 when free)."""

    code: str
    title: str
    description: str
    category: str
    fee: Decimal
    processing_days: int
    requirements: tuple[str, ...]
    online: bool
    url: str
    last_updated: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsRelease:
    """A press release, public notice or tax alert."""

    news_id: str
    title: str
    summary: str
    body: str
    category: str
    published: datetime
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JobVacancy:
    """An advertised position; salaries are gross monthly amounts in KES."""

    reference: str
    title: str
    description: str
    department: str
    station: str
    grade: str
    positions: int
    salary_min: Decimal
    salary_max: Decimal
    opening_date: date
    closing_date: date
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Tender:
    """A tender notice; ``estimated_value`` is in KES."""

    number: str
    title: str
    description: str
    category: TenderCategory
    status: TenderStatus
    published: datetime
    closing: datetime
    estimated_value: Decimal
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Taxpayer:
    """A registered taxpayer and the state of their Tax Compliance Certificate.

    ``certificate_number``, ``issued_on`` and ``expires_on`` are ``None`` when no
    certificate was ever issued (``status`` is then ``NONE``).
    """

    pin: str
    name: str
    taxpayer_type: TaxpayerType
    status: ComplianceStatus
    certificate_number: str | None
    issued_on: date | None
    expires_on: date | None
