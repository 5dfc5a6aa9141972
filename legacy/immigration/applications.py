"""Passport applications: numbers like ``PA2026-0012345`` and the statuses they go through."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from legacy.immigration.dates import format_date, format_datetime

APPLICATION_NUMBER = re.compile(r"PA\d{4}-\d{7}")
"""The shape of an application number: ``PA``, the year, ``-``, seven digits."""

SUBMITTED = "SUBMITTED"
PAYMENT_CONFIRMED = "PAYMENT CONFIRMED"
BIOMETRICS_CAPTURED = "BIOMETRICS CAPTURED"
UNDER_REVIEW = "UNDER REVIEW"
PRINTING = "PRINTING"
READY_FOR_COLLECTION = "READY FOR COLLECTION"
COLLECTED = "COLLECTED"
REJECTED = "REJECTED"

STATUSES = (
    SUBMITTED,
    PAYMENT_CONFIRMED,
    BIOMETRICS_CAPTURED,
    UNDER_REVIEW,
    PRINTING,
    READY_FOR_COLLECTION,
    COLLECTED,
    REJECTED,
)
"""Every status word the system uses, in the order an application goes through them."""

PASSPORT_TYPES = (
    "ORDINARY 34 PAGES",
    "ORDINARY 50 PAGES",
    "ORDINARY 66 PAGES",
    "DIPLOMATIC",
    "EAST AFRICAN",
)
APPLICATION_TYPES = ("NEW", "RENEWAL", "REPLACEMENT")
COLLECTION_CENTRES = (
    "Nyayo House, Nairobi",
    "Mombasa Regional Office",
    "Kisumu Regional Office",
    "Eldoret Regional Office",
    "Nakuru Regional Office",
    "Embu Regional Office",
    "Kisii Regional Office",
    "Kakamega Passport Office",
)
REJECTION_REMARKS = (
    "Photograph does not meet the ICAO standard; submit a new photograph on a white background.",
    "Birth certificate details do not match the national ID record; visit the civil "
    "registration office to correct them.",
    "Parental consent missing for an applicant under 18; both parents must sign the consent form.",
    "Police abstract for the lost passport could not be verified; obtain a new abstract from "
    "the reporting station.",
)

# status, how many applications are in it, and their age range in days (at least one,
# so that every update happened on a day before today)
_PLAN: tuple[tuple[str, int, int, int], ...] = (
    (SUBMITTED, 5, 1, 3),
    (PAYMENT_CONFIRMED, 6, 1, 4),
    (BIOMETRICS_CAPTURED, 7, 3, 9),
    (UNDER_REVIEW, 8, 5, 15),
    (PRINTING, 6, 8, 20),
    (READY_FOR_COLLECTION, 8, 12, 45),
    (COLLECTED, 6, 20, 120),
    (REJECTED, 4, 7, 60),
)

# fmt: off
_FIRST_NAMES = (
    "Wanjiru", "Otieno", "Achieng", "Kiprono", "Njeri", "Mwangi", "Atieno", "Kamau",
    "Chebet", "Mutua", "Wambui", "Omondi", "Jeptoo", "Kariuki", "Nafula", "Barasa",
)
_LAST_NAMES = (
    "Kimani", "Odhiambo", "Wekesa", "Cheruiyot", "Mutiso", "Njoroge", "Onyango", "Korir",
    "Wafula", "Githinji", "Ochieng", "Kiplagat", "Muthoni", "Abdi", "Hassan", "Nyaga",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class PassportApplication:
    """One passport application and where it stands."""

    application_no: str
    applicant_id_no: str
    applicant_name: str
    passport_type: str
    application_type: str
    submitted_date: date
    status: str
    last_updated: datetime
    collection_centre: str
    remarks: str | None

    def to_json(self) -> dict[str, Any]:
        """The record as the API returns it."""
        return {
            "application_no": self.application_no,
            "applicant_id_no": self.applicant_id_no,
            "applicant_name": self.applicant_name,
            "passport_type": self.passport_type,
            "application_type": self.application_type,
            "submitted_date": format_date(self.submitted_date),
            "status": self.status,
            "last_updated": format_datetime(self.last_updated),
            "collection_centre": self.collection_centre,
            "remarks": self.remarks,
        }


def seed_applications(today: date, seed: int = 254) -> tuple[PassportApplication, ...]:
    """About fifty applications in every status, submitted in the months before ``today``.

    Numbers grow with the submission date, as the real system allocates them.
    """
    rng = random.Random(seed)
    drafts: list[tuple[date, str, int]] = []
    for status, count, youngest, oldest in _PLAN:
        for _ in range(count):
            age = rng.randint(youngest, oldest)
            drafts.append((today - timedelta(days=age), status, age))
    drafts.sort(key=lambda draft: draft[0])
    applications = []
    serial = 11_842
    for submitted, status, age in drafts:
        serial += rng.randint(40, 900)
        updated_after = rng.randint(0, age - 1)
        updated = datetime.combine(
            submitted + timedelta(days=updated_after), time(rng.randint(8, 16), rng.randint(0, 59))
        )
        passport_type = rng.choices(PASSPORT_TYPES, weights=(60, 20, 10, 3, 7))[0]
        applications.append(
            PassportApplication(
                application_no=f"PA{submitted.year}-{serial:07d}",
                applicant_id_no=str(rng.randint(20_000_000, 39_999_999)),
                applicant_name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                passport_type=passport_type,
                application_type=rng.choices(APPLICATION_TYPES, weights=(50, 40, 10))[0],
                submitted_date=submitted,
                status=status,
                last_updated=updated,
                collection_centre=rng.choice(COLLECTION_CENTRES),
                remarks=rng.choice(REJECTION_REMARKS) if status == REJECTED else None,
            )
        )
    return tuple(applications)
