"""Jobs the department advertises, with opening and closing dates around today; its HR
office posts new adverts and amends them on the :class:`AdvertBoard`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from legacy.immigration.dates import format_date

CAREERS = "https://immigration.go.ke/careers"

OPEN = "OPEN"
CLOSED = "CLOSED"

ADVERT_NUMBER = re.compile(r"DIS-HR-(\d{4})-(\d{3,6})")
"""The shape of an advert number: ``DIS-HR``, the year it opened, a running number."""


@dataclass(frozen=True, slots=True)
class Advert:
    """One job advertisement."""

    advert_no: str
    job_title: str
    job_category: str
    job_description: str
    duty_station: str
    no_of_posts: int
    grade: str
    monthly_basic_salary_kes: int
    opening_date: date
    closing_date: date

    def status(self, today: date) -> str:
        """``OPEN`` until the end of the closing day, ``CLOSED`` after."""
        return OPEN if self.opening_date <= today <= self.closing_date else CLOSED

    def to_json(self, today: date) -> dict[str, Any]:
        """The record as the API returns it on ``today``."""
        return {
            "advert_no": self.advert_no,
            "job_title": self.job_title,
            "job_category": self.job_category,
            "job_description": self.job_description,
            "duty_station": self.duty_station,
            "no_of_posts": self.no_of_posts,
            "grade": self.grade,
            "monthly_basic_salary_kes": self.monthly_basic_salary_kes,
            "opening_date": format_date(self.opening_date),
            "closing_date": format_date(self.closing_date),
            "status": self.status(today),
            "advert_url": f"{CAREERS}/{self.advert_no.lower()}",
        }


# title, category, grade, basic salary (KES), posts, duty station, opened days ago,
# open for days, description
# fmt: off
_ADVERTS: tuple[tuple[str, str, str, int, int, str, int, int, str], ...] = (
    ("Immigration Officer III", "Immigration Services", "CSG 10", 37070, 60, "Various stations",
     10, 21, "Examine travel documents at ports of entry, process passport and permit "
              "applications and enforce the Kenya Citizenship and Immigration Act."),
    ("Senior Immigration Officer", "Immigration Services", "CSG 8", 64950, 12,
     "JKIA, Nairobi", 5, 21, "Supervise clearance shifts at the airport, review permit "
                             "recommendations and train junior officers."),
    ("Principal Immigration Officer", "Immigration Services", "CSG 7", 81120, 4,
     "Nyayo House, Nairobi", 14, 28, "Head a passport or permits section and account for its "
                                     "service delivery targets."),
    ("Deputy Director, Immigration Services", "Immigration Services", "CSG 5", 134810, 2,
     "Nyayo House, Nairobi", 3, 21, "Lead a directorate, develop immigration policy and "
                                    "represent the department in regional fora."),
    ("Forensic Document Examiner", "Immigration Services", "CSG 9", 48060, 5,
     "Nyayo House, Nairobi", 18, 21, "Examine suspect travel documents and give expert "
                                     "evidence in court."),
    ("Border Control Officer", "Immigration Services", "CSG 10", 37070, 25, "Namanga",
     40, 21, "Clear travellers and goods at the one-stop border post and detect irregular "
             "migration."),
    ("ICT Officer II", "Information Technology", "CSG 10", 37070, 6, "Nyayo House, Nairobi",
     7, 21, "Support the passport personalisation systems, the eCitizen integration and the "
            "department's networks."),
    ("Network Administrator", "Information Technology", "CSG 8", 64950, 2,
     "Nyayo House, Nairobi", 2, 21, "Run the wide area network linking border posts and "
                                    "regional offices."),
    ("Data Analyst", "Information Technology", "CSG 9", 48060, 3, "Nyayo House, Nairobi",
     19, 21, "Analyse migration statistics and produce reports for policy making."),
    ("Accountant II", "Finance", "CSG 10", 37070, 4, "Nyayo House, Nairobi", 12, 21,
     "Maintain the department's books, reconcile eCitizen revenue and prepare returns."),
    ("Internal Auditor II", "Finance", "CSG 10", 37070, 2, "Nyayo House, Nairobi", 35, 21,
     "Audit revenue collection and stores at headquarters and regional offices."),
    ("Supply Chain Management Officer II", "Finance", "CSG 10", 37070, 3,
     "Nyayo House, Nairobi", 8, 21, "Plan procurement of passport booklets and consumables "
                                    "under the Public Procurement and Asset Disposal Act."),
    ("Human Resource Management Officer II", "Human Resources", "CSG 10", 37070, 3,
     "Nyayo House, Nairobi", 30, 21, "Administer staff records, leave, discipline and "
                                     "performance contracts."),
    ("Legal Officer", "Legal", "CSG 9", 48060, 2, "Nyayo House, Nairobi", 20, 21,
     "Advise on immigration law, draft regulations and handle litigation against the "
     "department."),
    ("Public Communications Officer", "Communications", "CSG 10", 37070, 2,
     "Nyayo House, Nairobi", 6, 21, "Run the department's social media, press releases and "
                                    "customer feedback channels."),
    ("Records Management Officer III", "Administration", "CSG 11", 30270, 8,
     "Regional offices", 4, 21, "Manage passport application files and the registry at a "
                                "regional office."),
    ("Customer Care Assistant", "Administration", "CSG 12", 23390, 15, "Huduma Centres",
     9, 21, "Guide applicants at the Huduma Centre desks and answer enquiries on "
            "applications."),
    ("Office Administrator III", "Administration", "CSG 11", 30270, 4,
     "Mombasa, Kisumu, Eldoret", 1, 21, "Run the front office of a regional immigration "
                                        "office."),
    ("Driver III", "Transport", "CSG 14", 18630, 10, "Various stations", 16, 21,
     "Drive departmental vehicles for enforcement operations and deliveries of passports."),
    ("Security Officer", "Administration", "CSG 12", 23390, 6, "Nyayo House, Nairobi", 45, 30,
     "Control access to passport printing areas and safeguard accountable documents."),
)
# fmt: on


class AdvertBoard:
    """The adverts the API lists, newest first; HR posts new ones and amends old ones."""

    def __init__(self, adverts: Iterable[Advert]) -> None:
        self._by_number = {advert.advert_no: advert for advert in adverts}

    def __iter__(self) -> Iterator[Advert]:
        adverts = sorted(self._by_number.values(), key=lambda a: a.advert_no)
        return iter(sorted(adverts, key=lambda a: a.opening_date, reverse=True))

    def __len__(self) -> int:
        return len(self._by_number)

    def next_number(self, opening: date) -> str:
        """The number the next advert opening on ``opening`` gets: that year's next."""
        used = [
            int(match.group(2))
            for number in self._by_number
            if (match := ADVERT_NUMBER.fullmatch(number)) and int(match.group(1)) == opening.year
        ]
        return f"DIS-HR-{opening.year}-{max(used, default=0) + 1:03d}"

    def post(self, advert: Advert) -> bool:
        """Put ``advert`` on the board: ``True`` when it is new, ``False`` when it
        replaced (amended) the advert with its number."""
        new = advert.advert_no not in self._by_number
        self._by_number[advert.advert_no] = advert
        return new


def seed_adverts(today: date) -> tuple[Advert, ...]:
    """The adverts, newest first: most open on ``today``, some closing soon, some closed."""
    adverts = []
    for index, (
        title,
        category,
        grade,
        salary,
        posts,
        station,
        opened_ago,
        open_for,
        description,
    ) in enumerate(_ADVERTS):
        opening = today - timedelta(days=opened_ago)
        adverts.append(
            Advert(
                advert_no=f"DIS-HR-{opening.year}-{index + 1:03d}",
                job_title=title,
                job_category=category,
                job_description=description,
                duty_station=station,
                no_of_posts=posts,
                grade=grade,
                monthly_basic_salary_kes=salary,
                opening_date=opening,
                closing_date=opening + timedelta(days=open_for),
            )
        )
    return tuple(sorted(adverts, key=lambda advert: advert.opening_date, reverse=True))
