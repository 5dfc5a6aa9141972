"""The revenue stand-in's data: catalogue, news, vacancies, tenders and taxpayers.

Everything is built from hand-written tables with dates anchored on the day the
stand-in starts, so the same day always yields the same data. The enquiry register
starts empty and fills as enquiries are lodged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from legacy.revenue.enquiries import EnquiryRegister
from legacy.revenue.seed.catalogue import build_catalogue
from legacy.revenue.seed.news import build_news
from legacy.revenue.seed.records import (
    CatalogueService,
    ComplianceStatus,
    JobVacancy,
    NewsRelease,
    Taxpayer,
    TaxpayerType,
    Tender,
    TenderCategory,
    TenderStatus,
)
from legacy.revenue.seed.taxpayers import build_taxpayers, certificate_expiry
from legacy.revenue.seed.tenders import build_tenders, financial_year
from legacy.revenue.seed.vacancies import build_vacancies


@dataclass(frozen=True, slots=True)
class SeedData:
    """Everything the stand-in serves, built for one ``today``."""

    today: date
    services: tuple[CatalogueService, ...]
    news: tuple[NewsRelease, ...]
    vacancies: tuple[JobVacancy, ...]
    tenders: tuple[Tender, ...]
    taxpayers: Mapping[str, Taxpayer]
    enquiries: EnquiryRegister = field(default_factory=EnquiryRegister, compare=False)


def build_seed(today: date) -> SeedData:
    """The stand-in's data with dates around ``today``."""
    return SeedData(
        today=today,
        services=build_catalogue(today),
        news=build_news(today),
        vacancies=build_vacancies(today),
        tenders=build_tenders(today),
        taxpayers=build_taxpayers(today),
    )


__all__ = [
    "CatalogueService",
    "ComplianceStatus",
    "JobVacancy",
    "NewsRelease",
    "SeedData",
    "Taxpayer",
    "TaxpayerType",
    "Tender",
    "TenderCategory",
    "TenderStatus",
    "build_seed",
    "certificate_expiry",
    "financial_year",
]
