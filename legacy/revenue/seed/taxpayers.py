"""Registered taxpayers and the state of their Tax Compliance Certificates.

A certificate is valid for twelve months from the day it is issued. The status is
refreshed by a nightly batch, so a certificate that expired since the last run still
reads ``VALID``: one taxpayer below is in that state, as happens in the real system.
"""

from __future__ import annotations

from datetime import date, timedelta

from legacy.revenue.seed.records import ComplianceStatus, Taxpayer, TaxpayerType

_I, _C = TaxpayerType.INDIVIDUAL, TaxpayerType.COMPANY
_VALID, _EXPIRED, _REVOKED, _NONE = (
    ComplianceStatus.VALID,
    ComplianceStatus.EXPIRED,
    ComplianceStatus.REVOKED,
    ComplianceStatus.NONE,
)

# PIN, registered name, type, certificate status, days since the certificate was issued
# fmt: off
_TAXPAYERS: tuple[tuple[str, str, TaxpayerType, ComplianceStatus, int | None], ...] = (
    ("A012345678Z", "Wanjiku Mary Kamau", _I, _VALID, 34),
    ("A004581273K", "Otieno Brian Ochieng", _I, _VALID, 120),
    ("A009912245M", "Achieng Lilian Atieno", _I, _VALID, 301),
    ("A001187364B", "Mwangi Peter Njoroge", _I, _EXPIRED, 412),
    ("A007765432C", "Chebet Faith Kiprono", _I, _VALID, 15),
    ("A003344556D", "Mutua Daniel Musyoka", _I, _NONE, None),
    ("A005566778E", "Njeri Grace Wambui", _I, _REVOKED, 95),
    ("A008899001F", "Kiptoo Kevin Rotich", _I, _VALID, 201),
    ("A002233445G", "Akinyi Sharon Odhiambo", _I, _EXPIRED, 730),
    ("A006677889H", "Kariuki James Githinji", _I, _VALID, 3),
    ("A001122334J", "Wafula Moses Barasa", _I, _NONE, None),
    ("A009988776L", "Nyambura Esther Wairimu", _I, _VALID, 366),
    ("A004455667N", "Hassan Abdi Mohamed", _I, _VALID, 77),
    ("A007788990P", "Auma Rose Adhiambo", _I, _EXPIRED, 390),
    ("A003322110Q", "Kimani Joseph Maina", _I, _VALID, 250),
    ("A005544332R", "Jeptoo Mercy Cherono", _I, _NONE, None),
    ("A008877665S", "Omondi Victor Owino", _I, _REVOKED, 160),
    ("A000998877T", "Wanjiru Ann Muthoni", _I, _VALID, 44),
    ("A006655443U", "Said Fatuma Ali", _I, _VALID, 330),
    ("A002211009V", "Ndungu Samuel Kinyua", _I, _EXPIRED, 545),
    ("P051234567K", "Nyota Agro Processors Limited", _C, _VALID, 60),
    ("P051987654A", "Mlima Construction Company Limited", _C, _VALID, 190),
    ("P052468013B", "Pwani Fresh Fish Exporters Limited", _C, _EXPIRED, 401),
    ("P051357924C", "Savannah Logistics and Clearing Limited", _C, _VALID, 22),
    ("P053692581D", "Tausi Pharmaceuticals Limited", _C, _REVOKED, 48),
    ("P051122334E", "Kilimo Bora Cooperative Society", _C, _VALID, 275),
    ("P052233445F", "Jua Kali Solar Solutions Limited", _C, _NONE, None),
    ("P053344556G", "Rift Valley Tea Growers Limited", _C, _VALID, 140),
    ("P054455667H", "Baraka Supermarkets Limited", _C, _EXPIRED, 620),
    ("P055566778J", "Simba Security Services Limited", _C, _VALID, 88),
    ("P056677889K", "Maji Safi Bottlers Limited", _C, _VALID, 9),
    ("P057788990L", "Lakeside Hotels and Resorts Limited", _C, _EXPIRED, 372),
    ("P058899001M", "Tembo Motors Kenya Limited", _C, _VALID, 230),
    ("P059900112N", "Upendo Children's Foundation", _C, _NONE, None),
    ("P050011223P", "Amani Microfinance Bank Limited", _C, _VALID, 105),
    ("P051029384Q", "Chui Printers and Stationers Limited", _C, _REVOKED, 180),
    ("P052938475R", "Kazi Digital Technologies Limited", _C, _VALID, 51),
    ("P053847566S", "Mombasa Cement Distributors Limited", _C, _VALID, 315),
    ("P054756657T", "Nairobi Courier Express Limited", _C, _EXPIRED, 470),
    ("P055665748U", "Eldoret Grain Millers Limited", _C, _VALID, 28),
)
# fmt: on

_FIRST_SERIAL = 104_211


def certificate_expiry(issued_on: date) -> date:
    """The last day a certificate issued on ``issued_on`` is valid (twelve months)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + 1)
    except ValueError:  # issued on 29 February
        anniversary = issued_on.replace(year=issued_on.year + 1, day=28)
    return anniversary - timedelta(days=1)


def build_taxpayers(today: date) -> dict[str, Taxpayer]:
    """The taxpayers by PIN, their certificates issued in the years before ``today``.

    Certificate numbers run in the order certificates were issued.
    """
    issued = sorted(
        (today - timedelta(days=age), pin) for pin, *_, age in _TAXPAYERS if age is not None
    )
    numbers = {
        pin: f"TCC/{day.year}/{_FIRST_SERIAL + rank:07d}" for rank, (day, pin) in enumerate(issued)
    }
    taxpayers = {}
    for pin, name, taxpayer_type, status, age in _TAXPAYERS:
        issued_on = None if age is None else today - timedelta(days=age)
        taxpayers[pin] = Taxpayer(
            pin=pin,
            name=name,
            taxpayer_type=taxpayer_type,
            status=status,
            certificate_number=numbers.get(pin),
            issued_on=issued_on,
            expires_on=None if issued_on is None else certificate_expiry(issued_on),
        )
    return taxpayers
