"""Press releases, public notices and travel advisories of the department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from legacy.immigration.dates import format_datetime

WEBSITE = "https://immigration.go.ke"

SIGNATURE = "Issued by the Director General, Department of Immigration Services, Nairobi."


@dataclass(frozen=True, slots=True)
class Notice:
    """One item of the department's news feed."""

    notice_no: str
    title: str
    category: str
    summary: str
    body: str
    published_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The record as the API returns it."""
        return {
            "notice_no": self.notice_no,
            "title": self.title,
            "category": self.category,
            "summary": self.summary,
            "body": self.body,
            "published_at": format_datetime(self.published_at),
            "url": f"{WEBSITE}/news/{self.notice_no.lower()}",
        }


# days before today, category, title, summary, details
# fmt: off
_NOTICES: tuple[tuple[int, str, str, str, str], ...] = (
    (1, "Public Notice", "Uncollected passports at Nyayo House",
     "Over 4,000 passports printed before March remain uncollected at Nyayo House.",
     "Applicants are asked to collect them within 30 days with the original ID card and the "
     "old passport; passports not collected will be cancelled under the regulations."),
    (3, "Press Release", "Kisumu regional passport office resumes printing",
     "Passport printing has resumed at the Kisumu regional office after a machine upgrade.",
     "Applicants who chose Kisumu as their collection centre will receive an SMS when their "
     "passport is ready; no new application is needed."),
    (6, "Advisory", "Beware of fake immigration agents on social media",
     "The department has not authorised any agent to book passport appointments for a fee.",
     "All applications are made on the eCitizen platform and every payment is made through "
     "the official eCitizen pay bill. Report suspicious offers to the nearest police station."),
    (9, "Public Notice", "Extended working hours at Nyayo House",
     "Passport collection desks at Nyayo House will open from 7.00 a.m. to 7.00 p.m.",
     "The extension runs on weekdays until the end of the quarter to clear the backlog of "
     "passports ready for collection."),
    (12, "Press Release", "Electronic Travel Authorisation processing times",
     "Most eTA applications are now processed within 72 hours of payment.",
     "Travellers are advised to apply at least two weeks before travel and to carry a copy of "
     "the approved eTA."),
    (16, "Public Notice", "Biometric capture days at Huduma Centres",
     "Biometric capture for passport applicants is available at selected Huduma Centres.",
     "Applicants in Nakuru, Nyeri and Machakos may book a slot at the Huduma Centre instead of "
     "travelling to a regional passport office."),
    (20, "Advisory", "Travel to Saudi Arabia for domestic work",
     "Prospective domestic workers should travel only through agencies registered by NEA.",
     "Immigration officers at the airports will ask for the contract approved by the National "
     "Employment Authority before clearing departing domestic workers."),
    (25, "Press Release", "New passport issuance centre opens in Kakamega",
     "A passport issuance office has opened at the Kakamega county headquarters.",
     "Residents of Western Kenya can now capture biometrics and collect passports in Kakamega "
     "without travelling to Kisumu."),
    (29, "Public Notice", "Renewal of work permits before expiry",
     "Holders of work permits should apply for renewal at least three months before expiry.",
     "Late renewals attract a penalty and may lead to removal from Kenya under the Kenya "
     "Citizenship and Immigration Act."),
    (34, "Press Release", "Passport backlog cleared",
     "The department has cleared the backlog of passport applications submitted last year.",
     "Applications are now processed within the standard ten working days at all issuance "
     "centres."),
    (38, "Advisory", "Festive season travel through Jomo Kenyatta International Airport",
     "Travellers should arrive at the airport three hours before international departures.",
     "Additional immigration officers have been deployed to the departure and arrival halls "
     "to reduce queues during the festive season."),
    (43, "Public Notice", "Change of the passport collection procedure",
     "Passports are now released only to the applicant in person or to a parent for minors.",
     "Third parties can no longer collect passports on behalf of adult applicants, even with "
     "an authorisation letter."),
    (47, "Press Release", "Dual citizenship registration drive in the diaspora",
     "Kenyans abroad may declare dual citizenship at missions in London, Washington and Dubai.",
     "Consular officers will receive declarations and passport applications at mobile "
     "clinics during the month."),
    (52, "Public Notice", "Scheduled maintenance of the eCitizen immigration portal",
     "The immigration services on eCitizen will be unavailable on Saturday night.",
     "The maintenance window runs from 10.00 p.m. to 4.00 a.m.; applications submitted before "
     "it will not be affected."),
    (58, "Advisory", "Validity of passports for travel",
     "Many countries refuse entry to travellers whose passports expire within six months.",
     "Travellers are advised to renew their passports early; renewal applications are "
     "processed within ten working days."),
    (63, "Press Release", "Mombasa office moves to Uhuru na Kazi building",
     "The Mombasa regional immigration office has moved to the Uhuru na Kazi building.",
     "All services, including passport collection and permit enquiries, are offered at the "
     "new office from Monday."),
    (68, "Public Notice", "Requirements for passports of minors",
     "Applications for minors must carry the consent of both parents or the legal guardian.",
     "Where one parent is deceased, a copy of the death certificate is required; where "
     "parents are separated, a court order on custody."),
    (74, "Press Release", "Immigration officers pass out at the Kenya School of Government",
     "Two hundred new immigration officers have completed their induction training.",
     "They will be deployed to border posts at Namanga, Busia, Malaba, Isebania and "
     "Lunga Lunga to speed up clearance."),
    (80, "Advisory", "Overstaying visitors to regularise their stay",
     "Foreign nationals who have overstayed their visas should present themselves at the "
     "nearest immigration office.",
     "Those who come forward within the amnesty window will be allowed to regularise their "
     "stay or leave without prosecution."),
    (87, "Public Notice", "Fees for replacement of lost passports",
     "Replacement of a lost passport is charged at twice the ordinary passport fee.",
     "A police abstract is required for every replacement; damaged passports must be "
     "surrendered with the application."),
    (93, "Press Release", "One-stop border post at Namanga operates around the clock",
     "The Namanga one-stop border post now clears travellers 24 hours a day.",
     "Kenyan and Tanzanian officers clear travellers in one hall, shortening crossing times "
     "for tourists and traders."),
    (99, "Public Notice", "Registration of foreign nationals",
     "Foreign nationals staying for more than 90 days must register within 90 days of entry.",
     "Registration is done on eCitizen; the foreigner certificate is collected at the office "
     "chosen during the application."),
    (106, "Advisory", "Counterfeit work permits in circulation",
     "Employers should verify work permits of foreign staff on the department's portal.",
     "Employing a foreign national without a valid permit is an offence that carries a fine "
     "or imprisonment."),
    (113, "Press Release", "Passport printing capacity doubled",
     "Two new passport personalisation machines have been commissioned at Nyayo House.",
     "The department can now print up to 12,000 passports a day, up from 6,000."),
    (120, "Public Notice", "Public holiday closure of immigration offices",
     "Immigration offices will be closed on the public holiday; border posts remain open.",
     "Airports and land border posts will continue to clear travellers as usual."),
    (128, "Press Release", "Visa-free entry for African travellers",
     "Citizens of most African countries may enter Kenya without a visa for up to 60 days.",
     "Travellers still apply for an electronic Travel Authorisation, which is issued free of "
     "charge to eligible nationals."),
    (136, "Advisory", "Travel documents for children travelling alone",
     "Children travelling without a parent need a consent letter signed by both parents.",
     "Immigration officers may refuse departure to unaccompanied minors without the letter "
     "and a copy of the parents' IDs."),
    (145, "Public Notice", "Recruitment is only through the Public Service Commission",
     "Jobs in the department are advertised only on the department and PSC websites.",
     "The department does not charge any fee for recruitment; report anyone who asks for "
     "money to the Ethics and Anti-Corruption Commission."),
    (154, "Press Release", "Digital permit verification launched for employers",
     "Employers can now verify a foreign employee's permit with a QR code.",
     "The code on every new permit links to the department's verification page."),
    (163, "Public Notice", "Appointments for biometric capture",
     "Passport applicants must book a biometric capture slot after paying on eCitizen.",
     "Walk-in applicants will be served only after those with appointments."),
    (172, "Advisory", "Hajj pilgrims to apply for passports early",
     "Prospective pilgrims should apply for passports at least two months before departure.",
     "Applications marked as Hajj travel will be prioritised once the pilgrim's booking is "
     "confirmed by the Supreme Council of Kenya Muslims."),
)
# fmt: on

_CODES = {"Press Release": "PR", "Public Notice": "PN", "Advisory": "ADV"}


def seed_notices(today: date) -> tuple[Notice, ...]:
    """The news feed, newest first, published on the days before ``today``."""
    notices = []
    for index, (days_ago, category, title, summary, details) in enumerate(_NOTICES):
        published = datetime.combine(
            today - timedelta(days=days_ago), time(8 + index % 9, (index * 13) % 60)
        )
        serial = len(_NOTICES) - index
        notices.append(
            Notice(
                notice_no=f"DIS-{_CODES[category]}-{published.year}-{serial:03d}",
                title=title,
                category=category,
                summary=summary,
                body=f"{summary}\n\n{details}\n\n{SIGNATURE}",
                published_at=published,
            )
        )
    return tuple(notices)
