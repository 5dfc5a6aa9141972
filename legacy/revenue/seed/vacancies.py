"""Advertised positions: most open, some closing soon, a few already closed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from legacy.revenue.seed.records import JobVacancy

CAREERS = "https://www.revenue.go.ke/careers"

_TERMS = (
    " Applicants must be Kenyan citizens, hold a valid Tax Compliance Certificate and "
    "meet the requirements of Chapter Six of the Constitution. Applications are made "
    "online; only shortlisted candidates will be contacted."
)

# title, department, station, grade, positions, gross monthly salary min and max (KES),
# opens and closes (days from today), description
# fmt: off
_VACANCIES: tuple[tuple[str, str, str, str, int, int, int, int, int, str], ...] = (
    (
        "Revenue Officer", "Domestic Taxes", "Nairobi, Times Tower", "RA 7", 25, 98000, 143000,
        -12, 9,
        "Assess and collect domestic taxes, review returns, follow up on arrears and support "
        "taxpayers at the service centres. Bachelor's degree in commerce, economics or a "
        "related field; CPA part II or equivalent.",
    ),
    (
        "Customs and Border Control Officer", "Customs and Border Control", "Mombasa, Kilindini",
        "RA 7", 18, 98000, 143000, -12, 9,
        "Verify and clear imports and exports, classify and value goods, and enforce customs "
        "controls at the port. Bachelor's degree; knowledge of the EAC Customs Management Act "
        "is an advantage.",
    ),
    (
        "Senior ICT Officer, Cyber Security", "Information and Communication Technology",
        "Nairobi, Times Tower", "RA 5", 2, 186000, 265000, -9, 12,
        "Monitor the security of the authority's systems, run incident response and assess "
        "vulnerabilities of tax and customs platforms. Degree in computer science or "
        "information security; CISSP or CISM; five years' experience.",
    ),
    (
        "Software Engineer (Integration)", "Information and Communication Technology",
        "Nairobi, Times Tower", "RA 6", 4, 142000, 204000, -9, 12,
        "Build and maintain integrations between iTax, the customs management system and "
        "partner agencies using web services. Degree in computer science; three years of "
        "experience with Java or Python services.",
    ),
    (
        "Data Analyst", "Strategy, Innovation and Risk Management", "Nairobi, Times Tower",
        "RA 6", 3, 142000, 204000, -6, 15,
        "Analyse tax and trade data to detect non-compliance and forecast revenue. Degree in "
        "statistics, economics or data science; SQL and Python or R.",
    ),
    (
        "Investigation Officer", "Intelligence and Strategic Operations", "Nairobi, Forodha House",
        "RA 6", 6, 142000, 204000, -20, 2,
        "Investigate tax evasion and smuggling, gather evidence and prepare cases for "
        "prosecution. Degree in law, forensic accounting or criminology; three years in "
        "investigations.",
    ),
    (
        "Legal Officer", "Legal Services and Board Coordination", "Nairobi, Times Tower", "RA 6",
        3, 142000, 204000, -20, 1,
        "Represent the authority before the Tax Appeals Tribunal and the courts and advise on "
        "tax legislation. Bachelor of Laws; admitted as an Advocate of the High Court.",
    ),
    (
        "Tax Auditor", "Domestic Taxes", "Kisumu, Revenue House", "RA 6", 8, 142000, 204000,
        -5, 19,
        "Plan and carry out tax audits of medium taxpayers and prepare assessments. Degree in "
        "accounting or finance; CPA(K); two years in audit.",
    ),
    (
        "Tax Auditor", "Domestic Taxes", "Eldoret, Revenue House", "RA 6", 5, 142000, 204000,
        -5, 19,
        "Plan and carry out tax audits of medium taxpayers and prepare assessments. Degree in "
        "accounting or finance; CPA(K); two years in audit.",
    ),
    (
        "Customer Service Assistant", "Domestic Taxes", "Nakuru Service Centre", "RA 9", 10,
        52000, 76000, -3, 21,
        "Help taxpayers with PIN registration, iTax filing and enquiries at the service "
        "centre and on the contact centre lines. Diploma in business or customer service.",
    ),
    (
        "Customer Service Assistant", "Domestic Taxes", "Kitengela Service Centre", "RA 9", 4,
        52000, 76000, -3, 21,
        "Help taxpayers with PIN registration, iTax filing and enquiries at the service "
        "centre and on the contact centre lines. Diploma in business or customer service.",
    ),
    (
        "Procurement Officer", "Supply Chain Management", "Nairobi, Times Tower", "RA 7", 2,
        98000, 143000, -14, 3,
        "Prepare tender documents, run evaluations and manage contracts in line with the "
        "Public Procurement and Asset Disposal Act. Degree in procurement; member of KISM.",
    ),
    (
        "Internal Auditor", "Internal Audit", "Nairobi, Times Tower", "RA 6", 2, 142000, 204000,
        -10, 11,
        "Review controls over revenue systems and report on risk and governance. Degree in "
        "accounting; CPA(K) or CIA; three years in internal audit.",
    ),
    (
        "Scanner Operator", "Customs and Border Control", "Malaba One-Stop Border Post", "RA 8",
        6, 71000, 104000, -7, 14,
        "Operate cargo scanners and analyse scanned images for concealed or undeclared goods. "
        "Diploma in electronics, radiography or a related field.",
    ),
    (
        "Dog Handler", "Customs and Border Control", "Jomo Kenyatta International Airport",
        "RA 9", 5, 52000, 76000, -7, 14,
        "Work with detection dogs to find narcotics, currency and wildlife products at the "
        "airport. KCSE mean grade C; certificate in canine handling.",
    ),
    (
        "Manager, Taxpayer Education", "Marketing and Communication", "Nairobi, Times Tower",
        "RA 4", 1, 265000, 371000, -25, -4,
        "Lead the taxpayer education programme, campaigns and the annual taxpayers' week. "
        "Master's degree in communication or marketing; eight years' experience.",
    ),
    (
        "Human Resource Officer", "Human Resources", "Nairobi, Times Tower", "RA 7", 2, 98000,
        143000, -30, -9,
        "Administer recruitment, performance management and staff records. Degree in human "
        "resource management; member of IHRM.",
    ),
    (
        "Driver", "Support Services", "Mombasa, Forodha House", "RA 10", 4, 38000, 55000, -35,
        -14,
        "Drive and maintain official vehicles and keep work tickets. Valid driving licence "
        "with classes BCE; certificate in defensive driving; five years' experience.",
    ),
    (
        "Economist, Revenue Forecasting", "Strategy, Innovation and Risk Management",
        "Nairobi, Times Tower", "RA 5", 2, 186000, 265000, -28, -2,
        "Build revenue forecasting models and assess the impact of tax policy proposals. "
        "Master's degree in economics; five years in macro-fiscal analysis.",
    ),
    (
        "Graduate Trainee", "Kenya School of Revenue Administration", "Nairobi, Times Tower",
        "RA 10", 50, 45000, 45000, 2, 23,
        "One-year paid graduate programme rotating through domestic taxes, customs and support "
        "functions. Bachelor's degree completed within the last three years, second class "
        "upper or above.",
    ),
)
# fmt: on


def build_vacancies(today: date) -> tuple[JobVacancy, ...]:
    """The vacancies around ``today``, in order of closing date."""
    vacancies = []
    for number, row in enumerate(_VACANCIES, start=1):
        title, department, station, grade, positions, low, high, opens, closes, text = row
        opening = today + timedelta(days=opens)
        reference = f"RA/HR/ADV/{number:03d}/{opening.year}"
        vacancies.append(
            JobVacancy(
                reference=reference,
                title=title,
                description=text + _TERMS,
                department=department,
                station=station,
                grade=grade,
                positions=positions,
                salary_min=Decimal(low).quantize(Decimal("0.01")),
                salary_max=Decimal(high).quantize(Decimal("0.01")),
                opening_date=opening,
                closing_date=today + timedelta(days=closes),
                url=f"{CAREERS}/{reference.replace('/', '-').lower()}",
            )
        )
    return tuple(sorted(vacancies, key=lambda vacancy: (vacancy.closing_date, vacancy.reference)))
