"""The department's service catalogue: passports, visas, permits, residence, citizenship."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from legacy.immigration.dates import format_date

PORTAL = "https://immigration.ecitizen.go.ke"

_ID_COPY = "Copy of the applicant's national ID card (front and back)"
_PHOTOS = "Two recent colour passport-size photographs on a white background"
_BIRTH = "Copy of the applicant's birth certificate"
_PASSPORT_COPY = "Copy of the bio-data page of a passport valid for at least six months"
_EMPLOYER = "Letter from the employer stating the position, salary and contract period"
_PIN = "KRA PIN certificate of the sponsoring organisation"


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One service the department offers, as its catalogue holds it."""

    service_code: str
    name: str
    category: str
    description: str
    fee_kes: int
    processing_days: int
    requirements: tuple[str, ...]
    apply_online: bool
    last_updated: date

    def to_json(self) -> dict[str, Any]:
        """The record as the API returns it."""
        return {
            "service_code": self.service_code,
            "name": self.name,
            "category": self.category,
            "description": self.description,
            "fee_kes": self.fee_kes,
            "processing_days": self.processing_days,
            "requirements": list(self.requirements),
            "apply_online": self.apply_online,
            "application_url": f"{PORTAL}/services/{self.service_code.lower()}"
            if self.apply_online
            else None,
            "last_updated": format_date(self.last_updated),
        }


# code, name, category, description, fee (KES), processing days, requirements, online
# fmt: off
_CATALOGUE: tuple[tuple[str, str, str, str, int, int, tuple[str, ...], bool], ...] = (
    ("PP-ORD34", "Ordinary passport (34 pages)", "Passports",
     "First-time application for a 34-page ordinary East African e-passport for Kenyan citizens.",
     4550, 10, (_ID_COPY, _BIRTH, _PHOTOS, "Copy of a parent's ID card for applicants under 18",
                "Recommender's ID card copy and signed form"), True),
    ("PP-ORD50", "Ordinary passport (50 pages)", "Passports",
     "A 50-page ordinary e-passport for frequent travellers; same requirements as 34 pages.",
     6050, 10, (_ID_COPY, _BIRTH, _PHOTOS, "Recommender's ID card copy and signed form"), True),
    ("PP-ORD66", "Ordinary passport (66 pages)", "Passports",
     "A 66-page ordinary e-passport for business travellers who need many visa pages.",
     7550, 10, (_ID_COPY, _BIRTH, _PHOTOS, "Recommender's ID card copy and signed form"), True),
    ("PP-DIP", "Diplomatic passport", "Passports",
     "Diplomatic passport for officers and dependants entitled under the Foreign Service Act.",
     7550, 7, ("Official request letter from the Ministry of Foreign and Diaspora Affairs",
               _ID_COPY, _PHOTOS, "Gazette notice or letter of appointment"), False),
    ("PP-EAP", "East African passport", "Passports",
     "Travel document valid for up to six months within the East African Community partner "
     "states.", 990, 3, (_ID_COPY, _PHOTOS), False),
    ("PP-CHILD", "Passport for a child under 16", "Passports",
     "Ordinary 34-page passport for a minor; both parents or the legal guardian consent.",
     4550, 10, (_BIRTH, "Copies of both parents' ID cards or passports",
                "Consent letter signed by both parents or a court guardianship order",
                _PHOTOS), True),
    ("PP-RENEW", "Passport renewal", "Passports",
     "Renewal of an expired or full ordinary passport; the old passport is surrendered at "
     "collection.", 4550, 10, ("The current or expired passport", _ID_COPY, _PHOTOS), True),
    ("PP-LOST", "Replacement of a lost passport", "Passports",
     "Replacement of a lost or stolen passport, charged at double the ordinary fee.",
     9100, 14, ("Police abstract reporting the loss", _ID_COPY,
                "Copy of the lost passport's bio-data page if available", _PHOTOS), True),
    ("TD-ETD", "Emergency travel document", "Travel Documents",
     "One-way travel document for a Kenyan abroad whose passport is lost, expired or "
     "damaged, issued by a Kenyan mission.", 1050, 2,
     ("Police abstract or proof of loss", "Proof of Kenyan citizenship", _PHOTOS,
      "Confirmed travel itinerary to Kenya"), False),
    ("VS-SINGLE", "Single entry visa", "Visas",
     "Visa for one entry for tourism, business or family visits, valid for up to 90 days.",
     6600, 3, (_PASSPORT_COPY, "Recent passport-size photograph",
               "Return ticket and hotel booking or invitation letter"), True),
    ("VS-TRANSIT", "Transit visa", "Visas",
     "For travellers passing through Kenya to another country for no more than 72 hours.",
     2700, 2, (_PASSPORT_COPY, "Onward ticket and visa of the destination country"), True),
    ("VS-EATV", "East Africa Tourist Visa", "Visas",
     "Multiple-entry visa for tourism in Kenya, Rwanda and Uganda, valid for 90 days.",
     13000, 5, (_PASSPORT_COPY, "Recent passport-size photograph",
                "Itinerary starting in Kenya"), True),
    ("WP-A", "Work permit class A (prospecting and mining)", "Work Permits",
     "For foreign nationals engaged in prospecting for minerals or mining in Kenya.",
     250000, 30, (_PASSPORT_COPY, "Prospecting or mining licence from the State Department "
                  "for Mining", "Proof of capital of at least USD 100,000", _PIN), True),
    ("WP-D", "Work permit class D (employment)", "Work Permits",
     "For foreign nationals offered specific employment by a Kenyan employer where the "
     "skills are not available locally.", 400000, 30,
     (_PASSPORT_COPY, _EMPLOYER, "Academic and professional certificates",
      "Employer's justification that no Kenyan could fill the position", _PIN), True),
    ("WP-G", "Work permit class G (investor)", "Work Permits",
     "For investors in trade, business or consultancy with proof of capital invested in Kenya.",
     250000, 30, (_PASSPORT_COPY, "Certificate of incorporation and CR12",
                  "Proof of investment of at least USD 100,000", _PIN), True),
    ("WP-I", "Work permit class I (religious and charitable)", "Work Permits",
     "For members of approved religious or charitable organisations working in Kenya.",
     10000, 21, (_PASSPORT_COPY, "Registration certificate of the organisation",
                 "Letter of recommendation from the organisation"), True),
    ("WP-K", "Work permit class K (ordinary resident)", "Work Permits",
     "For retirees aged 35 or more with an assured annual income from outside Kenya.",
     100000, 30, (_PASSPORT_COPY, "Proof of assured income of at least USD 24,000 a year",
                  "Undertaking not to take up employment"), True),
    ("RS-DEP", "Dependant's pass", "Residence",
     "For spouses and children of holders of a work permit or permanent residence.",
     10000, 21, (_PASSPORT_COPY, "Marriage or birth certificate proving the relationship",
                 "Copy of the principal's permit"), True),
    ("RS-STUDENT", "Student's pass", "Residence",
     "For foreign students admitted to a registered Kenyan school, college or university.",
     5000, 14, (_PASSPORT_COPY, "Admission letter from the institution",
                "Proof of fees payment or sponsorship"), True),
    ("RS-PR", "Permanent residence", "Residence",
     "Permanent residence for foreign nationals who have held a work permit for seven years "
     "or are spouses of Kenyan citizens of three years' standing.", 500000, 90,
     (_PASSPORT_COPY, "Copies of work permits held for the last seven years",
      "Certificate of good conduct", _PHOTOS), True),
    ("CZ-REG", "Citizenship by registration", "Citizenship",
     "Registration as a Kenyan citizen for spouses of citizens and long-term lawful residents.",
     50000, 90, (_PASSPORT_COPY, "Proof of lawful residence in Kenya for at least seven years",
                 "Certificate of good conduct", "Evidence of knowledge of Kiswahili"), True),
    ("CZ-DUAL", "Declaration of dual citizenship", "Citizenship",
     "Declaration by a Kenyan citizen who has acquired the citizenship of another country.",
     0, 30, (_ID_COPY, "Copy of the foreign passport or naturalisation certificate",
             "Copy of the Kenyan passport if any"), True),
    ("AR-ALIEN", "Foreign national registration certificate (alien ID card)",
     "Alien Registration",
     "Registration of foreign nationals staying in Kenya for more than 90 days and issue of "
     "the foreigner certificate.", 2000, 14,
     (_PASSPORT_COPY, "Copy of a valid permit or pass", _PHOTOS), True),
)
# fmt: on


def seed_services(today: date) -> tuple[ServiceEntry, ...]:
    """The catalogue, with update dates spread over the year before ``today``."""
    return tuple(
        ServiceEntry(
            service_code=code,
            name=name,
            category=category,
            description=description,
            fee_kes=fee,
            processing_days=days,
            requirements=requirements,
            apply_online=online,
            last_updated=today - timedelta(days=(index * 37) % 330 + 3),
        )
        for index, (
            code,
            name,
            category,
            description,
            fee,
            days,
            requirements,
            online,
        ) in enumerate(_CATALOGUE)
    )
