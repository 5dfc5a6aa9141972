"""Entries of the Occurrence Book (``ob_register``), generated from a fixed seed.

Each entry is reported at one of the stations on a day of the last four months; its
status word follows its age the way files move through a station: fresh reports,
files under investigation or referred to the DCI, cases taken to court, and files
closed (lost documents get their police abstract the same day).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

OB_NUMBER_FORMAT = "OB/{entry}/{day:%d}/{day:%m}/{day:%Y}"
"""How the system writes an OB number: entry number, then the day it was entered."""

ENTRY_COUNT = 60
DAYS_BACK = 120
FRESH_COUNT = 4
"""Entries reported in the last two days, whose files have not moved yet."""

# category, nature of occurrence, narrative; {place} and {item} are filled in.
_KINDS: tuple[tuple[str, str, str], ...] = (
    (
        "THEFT",
        "Theft of mobile phone",
        "Complainant reports that a {item} mobile phone was snatched from her hand {place} "
        "by a man who fled on a motorcycle.",
    ),
    (
        "THEFT",
        "Theft from motor vehicle",
        "Complainant reports that the side window of his parked vehicle was broken {place} "
        "and a laptop bag stolen.",
    ),
    (
        "THEFT",
        "Theft of motorcycle",
        "Complainant reports that his motorcycle, a {item}, was stolen {place} where he had "
        "parked it while making a delivery.",
    ),
    (
        "BURGLARY",
        "Housebreaking and theft",
        "Complainant reports that her house was broken into {place} while the family was away "
        "and a television set and household goods stolen.",
    ),
    (
        "BURGLARY",
        "Shop breaking",
        "Complainant reports that the padlocks of his shop {place} were cut during the night "
        "and stock of unknown value stolen.",
    ),
    (
        "ROBBERY",
        "Robbery with violence",
        "Complainant reports that he was accosted {place} by three men armed with crude "
        "weapons who took his {item} and cash.",
    ),
    (
        "ASSAULT",
        "Assault causing actual bodily harm",
        "Complainant reports that he was assaulted {place} by a person known to him following "
        "a disagreement; he was referred to hospital with a P3 form.",
    ),
    (
        "ASSAULT",
        "Common assault",
        "Complainant reports that she was slapped and pushed {place} during an argument over "
        "a debt.",
    ),
    (
        "DOMESTIC VIOLENCE",
        "Domestic violence",
        "Complainant reports that she was beaten by her spouse at their home {place}; "
        "referred to the gender desk.",
    ),
    (
        "FRAUD",
        "Obtaining money by false pretences",
        "Complainant reports that he sent money by mobile money to a person who claimed to "
        "sell a {item} online and who then switched off his phone.",
    ),
    (
        "FRAUD",
        "Mobile money fraud",
        "Complainant reports that a caller pretending to be a mobile money agent obtained her "
        "PIN and withdrew her savings.",
    ),
    (
        "CYBERCRIME",
        "Impersonation on social media",
        "Complainant reports that an account using her name and photographs is soliciting "
        "money from her contacts.",
    ),
    (
        "LOST PROPERTY",
        "Loss of national identity card",
        "Complainant reports that he lost his national identity card {place}; police abstract "
        "issued for replacement.",
    ),
    (
        "LOST PROPERTY",
        "Loss of driving licence and ATM cards",
        "Complainant reports that she lost her wallet containing a driving licence and ATM "
        "cards {place}; police abstract issued.",
    ),
    (
        "LOST PROPERTY",
        "Loss of motor vehicle number plate",
        "Complainant reports that the rear number plate of his vehicle fell off {place}; "
        "police abstract issued for replacement.",
    ),
    (
        "TRAFFIC",
        "Road traffic accident - injury",
        "A matatu and a private vehicle collided {place}; two passengers were taken to "
        "hospital with minor injuries.",
    ),
    (
        "TRAFFIC",
        "Road traffic accident - damage only",
        "Two vehicles collided {place}; no injuries, both drivers recorded statements.",
    ),
    (
        "MISSING PERSON",
        "Missing person",
        "Complainant reports that her son, aged 16, left home for school {place} and has not "
        "returned.",
    ),
    (
        "MALICIOUS DAMAGE",
        "Malicious damage to property",
        "Complainant reports that the fence and gate of his plot {place} were pulled down by "
        "unknown persons.",
    ),
    (
        "STOCK THEFT",
        "Theft of livestock",
        "Complainant reports that four goats were driven away from his boma {place} during "
        "the night.",
    ),
)

_PLACES = (
    "near the bus stage",
    "at the open-air market",
    "along the main road",
    "outside a supermarket",
    "near the county offices",
    "at the matatu terminus",
    "on the footpath near the river",
    "at the shopping centre",
    "near the primary school",
    "outside a bank",
    "at the junction near the petrol station",
    "in the estate",
)
_ITEMS = (
    "Samsung Galaxy A15",
    "Tecno Spark 20",
    "iPhone 13",
    "Infinix Hot 40",
    "Boxer BM150",
    "TVS HLX 125",
    "Bajaj Boxer",
    "Oppo A78",
)
_FIRST_NAMES = (
    "Wanjiru",
    "Achieng",
    "Kiprono",
    "Mwangi",
    "Atieno",
    "Otieno",
    "Njeri",
    "Kamau",
    "Chebet",
    "Mutua",
    "Wairimu",
    "Omondi",
    "Nyambura",
    "Kibet",
    "Akinyi",
    "Ochieng",
    "Mumbua",
    "Barasa",
    "Jepchirchir",
    "Wafula",
    "Halima",
    "Abdi",
    "Zawadi",
    "Baraka",
)
_SURNAMES = (
    "Kariuki",
    "Odhiambo",
    "Cheruiyot",
    "Mutiso",
    "Wekesa",
    "Njoroge",
    "Onyango",
    "Kiplagat",
    "Muthoni",
    "Nyaga",
    "Mohamed",
    "Hassan",
    "Were",
    "Kilonzo",
    "Macharia",
    "Ouma",
    "Rotich",
    "Maina",
    "Adongo",
    "Kosgei",
)
_LOST_DOCUMENTS = "LOST PROPERTY"
_SERIOUS = frozenset({"ROBBERY", "FRAUD", "CYBERCRIME", "MISSING PERSON", "STOCK THEFT"})


def ob_number(entry: int, day: date) -> str:
    """The OB number of entry ``entry`` of ``day``, e.g. ``OB/23/14/11/2026``."""
    return OB_NUMBER_FORMAT.format(entry=entry, day=day)


def occurrence_rows(today: date, station_codes: list[str]) -> list[dict[str, Any]]:
    """``ENTRY_COUNT`` entries over the ``DAYS_BACK`` days up to ``today``, oldest first."""
    rng = random.Random(20261114)
    taken: set[tuple[date, int]] = set()
    rows: list[dict[str, Any]] = []
    for index in range(ENTRY_COUNT):
        age = rng.randint(1, 2) if index < FRESH_COUNT else int(rng.triangular(0, DAYS_BACK, 10))
        day = today - timedelta(days=age)
        entry = rng.randint(1, 90)
        while (day, entry) in taken:
            entry += 1
        taken.add((day, entry))
        category, nature, narrative = rng.choice(_KINDS)
        reported_at = datetime.combine(day, time(rng.randint(0, 23), rng.randint(0, 59)))
        status, last_action_at = _progress(rng, category, age, reported_at)
        rows.append(
            {
                "ob_no": ob_number(entry, day),
                "entry_no": entry,
                "entry_date": day,
                "stn_code": rng.choice(station_codes),
                "occ_nature": nature,
                "occ_category": category,
                "narrative": narrative.format(place=rng.choice(_PLACES), item=rng.choice(_ITEMS)),
                "reported_at": reported_at,
                "ob_status": status,
                "compl_name": f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}",
                "compl_phone": f"07{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} "
                f"{rng.randint(0, 999):03d}",
                "compl_id_no": str(rng.randint(10_000_000, 39_999_999)),
                "officer_svc_no": str(rng.randint(200_000, 259_999)),
                "last_action_at": last_action_at,
            }
        )
    rows.sort(key=lambda row: row["reported_at"])
    return rows


def _progress(
    rng: random.Random, category: str, age: int, reported_at: datetime
) -> tuple[str, datetime]:
    """The status word an entry of ``age`` days has reached, and when it last moved."""
    if category == _LOST_DOCUMENTS:
        return "ABSTRACT ISSUED", reported_at + timedelta(minutes=rng.randint(15, 90))
    if age < 3:
        return "REPORTED", reported_at
    moved = reported_at + timedelta(days=rng.randint(1, max(1, age - 1)), hours=3)
    if age < 21:
        words = ["UNDER INVESTIGATION", "PUI"]
        if category in _SERIOUS:
            words.append("REFERRED TO DCI")
        return rng.choice(words), moved
    return rng.choice(
        ["UNDER INVESTIGATION", "TAKEN TO COURT", "PBC", "CLOSED", "FILE CLOSED - NFPA"]
    ), moved
