"""Tender notices of the procurement unit: open, closed, awarded and cancelled ones."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from legacy.revenue.seed.records import Tender, TenderCategory, TenderStatus

TENDERS_PAGE = "https://www.revenue.go.ke/tenders"

_G, _W, _S, _C = (
    TenderCategory.GOODS,
    TenderCategory.WORKS,
    TenderCategory.SERVICES,
    TenderCategory.CONSULTANCY,
)
_OPEN, _CLOSED, _AWARDED, _CANCELLED = (
    TenderStatus.OPEN,
    TenderStatus.CLOSED,
    TenderStatus.AWARDED,
    TenderStatus.CANCELLED,
)

# procurement method, title, category, status, estimated value (KES), published and
# closing (days from today), closing time, description
# fmt: off
_TENDERS: tuple[tuple[str, str, TenderCategory, TenderStatus, int, int, int, str, str], ...] = (
    (
        "ONT", "Supply and delivery of desktop computers and accessories", _G, _OPEN, 48_500_000,
        -10, 11, "11:00",
        "Supply of 650 desktop computers, monitors and uninterruptible power supplies to "
        "headquarters and regional offices, with three years' on-site warranty.",
    ),
    (
        "OIT", "Supply, installation and commissioning of non-intrusive cargo scanners", _G,
        _OPEN, 865_000_000, -21, 18, "10:00",
        "Four drive-through cargo scanners for the Malaba, Busia, Namanga and Isebania border "
        "posts, including civil works, training and five years of maintenance.",
    ),
    (
        "ONT", "Construction of a regional office block in Garissa", _W, _OPEN, 412_000_000,
        -14, 16, "11:00",
        "Construction of a four-storey office block with parking, a service centre hall and "
        "a records store. Contractors registered with the National Construction Authority "
        "in category NCA 3 or above.",
    ),
    (
        "ONT", "Provision of cleaning and sanitary services for Nairobi offices", _S, _OPEN,
        36_000_000, -7, 14, "11:00",
        "Cleaning, fumigation and sanitary bin services for Times Tower, Forodha House and "
        "the Nairobi service centres for two years.",
    ),
    (
        "RFP", "Consultancy for a taxpayer satisfaction survey", _C, _OPEN, 14_500_000, -9, 12,
        "10:00",
        "A national survey of taxpayer satisfaction with the authority's services, with "
        "recommendations to improve the customer experience.",
    ),
    (
        "ONT", "Supply of motor vehicles for enforcement operations", _G, _OPEN, 176_000_000,
        -5, 23, "11:00",
        "Twenty-two double-cabin pick-ups and six station wagons for the enforcement and "
        "investigation teams, with service and maintenance for three years.",
    ),
    (
        "ONT", "Provision of security guard services", _S, _OPEN, 92_000_000, -18, 2, "11:00",
        "Manned guarding, patrols and alarm response for offices in Nairobi, Mombasa, Kisumu "
        "and Eldoret for two years.",
    ),
    (
        "RFQ", "Supply of branded stationery for taxpayers' week", _G, _OPEN, 3_200_000, -6, 1,
        "10:00",
        "Printing and supply of branded notebooks, pens, banners and brochures for the "
        "taxpayers' week clinics in 47 counties.",
    ),
    (
        "ONT", "Renovation of the Kilindini long room", _W, _OPEN, 58_000_000, -12, 9, "11:00",
        "Renovation of the customs long room, including partitions, electrical works, air "
        "conditioning and the queue management system.",
    ),
    (
        "OIT", "Enterprise data warehouse and analytics platform", _S, _OPEN, 640_000_000, -25,
        20, "10:00",
        "Design, supply and implementation of a data warehouse consolidating iTax, customs "
        "and third-party data, with analytics tools and five years of support.",
    ),
    (
        "RFP", "Consultancy for the review of the medium-term revenue strategy", _C, _OPEN,
        24_000_000, -3, 25, "10:00",
        "Review of the medium-term revenue strategy, benchmarking with peer revenue "
        "authorities and a costed implementation plan.",
    ),
    (
        "ONT", "Supply of excise stamp verification handheld devices", _G, _OPEN, 27_600_000,
        -8, 6, "11:00",
        "Four hundred rugged handheld devices able to authenticate excise stamps in the "
        "field, with a mobile device management licence.",
    ),
    (
        "ONT", "Provision of medical insurance cover for staff", _S, _OPEN, 1_450_000_000, -16,
        5, "11:00",
        "Inpatient, outpatient, dental, optical and maternity cover for staff and their "
        "dependants for one year, renewable.",
    ),
    (
        "EOI", "Expression of interest for tax education content partners", _C, _OPEN,
        8_000_000, -4, 17, "12:00",
        "Media houses and content producers to co-produce tax education programmes in "
        "English, Kiswahili and local languages.",
    ),
    (
        "ONT", "Supply and installation of solar power at border stations", _W, _OPEN,
        118_000_000, -11, 13, "11:00",
        "Solar photovoltaic systems with battery storage for eight border stations, to keep "
        "customs systems running during grid outages.",
    ),
    (
        "RFQ", "Supply of office furniture for the Kitengela service centre", _G, _OPEN,
        4_800_000, -2, 8, "10:00",
        "Work stations, customer seating, filing cabinets and a reception counter for the "
        "new Kitengela service centre.",
    ),
    (
        "ONT", "Provision of bulk SMS services", _S, _CANCELLED, 12_000_000, -15, 6, "11:00",
        "Bulk SMS for filing reminders and payment notifications for two years. Cancelled "
        "under section 63 of the Act: the requirement is now covered by a framework contract.",
    ),
    (
        "ONT", "Supply of uniforms for customs officers", _G, _CLOSED, 33_000_000, -40, -3,
        "11:00",
        "Ceremonial and working uniforms, boots and accessories for 1,800 customs officers.",
    ),
    (
        "ONT", "Provision of travel management services", _S, _CLOSED, 45_000_000, -38, -6,
        "11:00",
        "Air ticketing, hotel booking and visa facilitation for official travel for two "
        "years.",
    ),
    (
        "RFP", "Consultancy for the valuation of the authority's property", _C, _CLOSED,
        9_500_000, -45, -10, "10:00",
        "Valuation of land, buildings and staff houses across the country for the financial "
        "statements.",
    ),
    (
        "ONT", "Supply of network switches and routers", _G, _AWARDED, 87_000_000, -80, -45,
        "11:00",
        "Core and access network equipment for the headquarters data centre and 60 branch "
        "offices, with installation and training.",
    ),
    (
        "ONT", "Construction of a perimeter wall at the Mariakani weighbridge station", _W,
        _AWARDED, 26_000_000, -95, -60, "11:00",
        "A 1.2 km masonry perimeter wall with two gates and guard houses.",
    ),
    (
        "OIT", "Supply of an electronic cargo tracking system", _S, _AWARDED, 980_000_000, -150,
        -105, "10:00",
        "Electronic seals, monitoring centre software and five years of operation for transit "
        "cargo along the Northern Corridor.",
    ),
    (
        "ONT", "Provision of canteen services at Times Tower", _S, _AWARDED, 18_000_000, -70,
        -40, "11:00",
        "Staff canteen services for three years, including breakfast and lunch.",
    ),
    (
        "RFP", "Consultancy for an ICT security audit", _C, _AWARDED, 16_000_000, -120, -85,
        "10:00",
        "Independent audit of the security of the authority's ICT systems against ISO 27001.",
    ),
    (
        "ONT", "Supply of printing paper and toner", _G, _AWARDED, 21_000_000, -60, -30,
        "11:00",
        "A2 and A4 paper and toner cartridges for two years, delivered quarterly.",
    ),
    (
        "ONT", "Rehabilitation of staff houses in Lokichoggio", _W, _CANCELLED, 44_000_000, -75,
        -41, "11:00",
        "Rehabilitation of twelve staff houses. Cancelled after all bids exceeded the "
        "approved budget; the tender will be re-advertised.",
    ),
    (
        "ONT", "Provision of courier services", _S, _AWARDED, 7_500_000, -110, -80, "11:00",
        "Same-day and next-day courier services between offices for two years.",
    ),
    (
        "ONT", "Supply of body-worn cameras for enforcement officers", _G, _CLOSED, 39_000_000,
        -33, -1, "11:00",
        "Five hundred body-worn cameras with docking stations and evidence management "
        "software.",
    ),
    (
        "RFP", "Consultancy for the design of a customer relationship management system", _C,
        _CANCELLED, 30_000_000, -90, -55, "10:00",
        "Requirements, design and procurement support for a customer relationship "
        "management system. Cancelled: the scope is now part of the data warehouse tender.",
    ),
)
# fmt: on


def financial_year(day: date) -> str:
    """The Kenyan government financial year (1 July to 30 June) of ``day``, e.g. ``2025-2026``."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{start + 1}"


def build_tenders(today: date) -> tuple[Tender, ...]:
    """The tenders around ``today``, newest first, numbered per method and financial year."""
    rows = sorted(_TENDERS, key=lambda row: row[5])
    numbering: Counter[tuple[str, str]] = Counter()
    tenders = []
    for method, title, category, status, value, published, closes, at, text in rows:
        published_on = today + timedelta(days=published)
        year = financial_year(published_on)
        numbering[method, year] += 1
        number = f"RA/{method}/{numbering[method, year]:03d}/{year}"
        tenders.append(
            Tender(
                number=number,
                title=title,
                description=text,
                category=category,
                status=status,
                published=datetime.combine(published_on, time(9, 0)),
                closing=datetime.combine(today + timedelta(days=closes), time.fromisoformat(at)),
                estimated_value=Decimal(value).quantize(Decimal("0.01")),
                url=f"{TENDERS_PAGE}/{number.replace('/', '-').lower()}",
            )
        )
    return tuple(reversed(tenders))
