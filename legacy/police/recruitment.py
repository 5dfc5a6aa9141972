"""Recruitment notices (``recruitment_notice``): the Service's vacancies.

Opening and closing dates are offsets from the stand-in's today: most notices are
open, a few close within days and some have already closed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

# title, details, cadre, duty station, posts, grade, monthly salary (KES),
# opens (days from today), closes (days from today)
_NOTICES: tuple[tuple[str, str, str, str, int, str | None, int | None, int, int], ...] = (
    (
        "Police Constables (General Duty)",
        "Kenyan citizens aged 18 to 28 with a KCSE mean grade of C (plain) and a C- in English or "
        "Kiswahili. Candidates present themselves at the constituency recruitment centre with "
        "their "
        "original certificates. Recruitment is free of charge.",
        "Police Constables",
        "Countrywide",
        10_000,
        "Constable",
        38_000,
        -6,
        18,
    ),
    (
        "Specialist Police Constables - ICT",
        "Holders of a diploma or degree in computer science or information technology, aged 18 to "
        "30, to support the digital Occurrence Book and communications.",
        "Specialist Officers",
        "National Police Service Headquarters, Nairobi",
        200,
        "Constable",
        45_000,
        -6,
        18,
    ),
    (
        "Specialist Police Constables - Nurses",
        "Registered nurses (KRCHN) with a valid practising licence from the Nursing Council of "
        "Kenya, aged 18 to 30, for posting to police health facilities.",
        "Specialist Officers",
        "National Police Service Hospital, Nairobi",
        120,
        "Constable",
        45_000,
        -6,
        18,
    ),
    (
        "Specialist Police Constables - Motor Vehicle Mechanics",
        "Holders of a craft certificate or diploma in automotive engineering with two years' "
        "experience, to maintain the Service's fleet.",
        "Specialist Officers",
        "Police Transport Workshops, Nairobi",
        80,
        "Constable",
        42_000,
        -6,
        18,
    ),
    (
        "Inspectors of Police - Graduate Entry (Legal)",
        "Holders of a Bachelor of Laws degree admitted to the Roll of Advocates, aged under 35, to "
        "serve as prosecution and legal officers after cadet training.",
        "Gazetted Officers",
        "Countrywide",
        60,
        "Inspector",
        78_000,
        -12,
        2,
    ),
    (
        "Clinical Officers",
        "Holders of a diploma in clinical medicine registered with the Clinical Officers Council, "
        "with one year of experience after internship.",
        "Civilian Staff",
        "Police health centres in Nairobi, Mombasa and Kisumu",
        25,
        "CSG 10",
        62_000,
        -3,
        25,
    ),
    (
        "Accountant II",
        "Holders of a degree in commerce (accounting) and CPA (K), registered with ICPAK, to join "
        "the Finance Directorate.",
        "Civilian Staff",
        "National Police Service Headquarters, Nairobi",
        6,
        "CSG 10",
        68_000,
        -9,
        5,
    ),
    (
        "Supply Chain Management Officer II",
        "Holders of a degree in procurement or supply chain management, registered with KISM, "
        "familiar with the Public Procurement and Asset Disposal Act.",
        "Civilian Staff",
        "National Police Service Headquarters, Nairobi",
        4,
        "CSG 10",
        68_000,
        -9,
        5,
    ),
    (
        "Driver III",
        "Holders of a valid driving licence (classes B, C and E), a certificate of good "
        "conduct and "
        "a Grade II trade test certificate.",
        "Civilian Staff",
        "Countrywide",
        150,
        "CSG 15",
        27_000,
        -2,
        28,
    ),
    (
        "ICT Officer II - Digital Occurrence Book",
        "Holders of a degree in information technology with experience in database administration "
        "(PostgreSQL) and network support.",
        "Civilian Staff",
        "National Police Service Headquarters, Nairobi",
        12,
        "CSG 10",
        75_000,
        -1,
        30,
    ),
    (
        "Forensic Analysts - DCI Forensic Laboratory",
        "Holders of a degree in chemistry, biochemistry or molecular biology with laboratory "
        "experience, to analyse DNA, toxicology and document evidence.",
        "Specialist Officers",
        "DCI Forensic Laboratory, Kiambu Road",
        20,
        "Inspector",
        85_000,
        -4,
        21,
    ),
    (
        "Dog Handlers - K9 Unit",
        "Serving constables with three years of service and a clean discipline record, for "
        "training in detection and patrol dog handling.",
        "Internal Deployment",
        "K9 Unit, Ruaraka",
        40,
        None,
        None,
        -5,
        9,
    ),
    (
        "Kenya Police Reservists - Laikipia and Samburu",
        "Residents of Laikipia and Samburu counties aged 18 to 45, vetted by the local security "
        "committee, to support rural policing. Reservists are not salaried.",
        "Police Reserve",
        "Laikipia and Samburu",
        500,
        None,
        None,
        -20,
        -1,
    ),
    (
        "Graduate Internship Programme",
        "Recent graduates in law, criminology, ICT, accounting or communication for a 12-month "
        "internship with a monthly stipend.",
        "Internship",
        "Countrywide",
        300,
        None,
        25_000,
        -35,
        -7,
    ),
    (
        "Records Management Officer III",
        "Holders of a diploma in records management, to support the digitisation of station "
        "Occurrence Books and case files.",
        "Civilian Staff",
        "Countrywide",
        30,
        "CSG 12",
        38_000,
        -40,
        -12,
    ),
    (
        "Chaplains",
        "Ordained clergy or imams with a degree in theology or Islamic studies and five years of "
        "pastoral experience, to provide chaplaincy services to officers.",
        "Specialist Officers",
        "Countrywide",
        15,
        "Inspector",
        72_000,
        2,
        32,
    ),
)


def recruitment_notice_rows(today: date) -> list[dict[str, Any]]:
    """The notices, with references numbered in the order they were advertised."""
    rows: list[dict[str, Any]] = []
    for number, notice in enumerate(sorted(_NOTICES, key=lambda n: n[7]), start=1):
        title, details, cadre, station, posts, grade, salary, opens, closes = notice
        open_date = today + timedelta(days=opens)
        rows.append(
            {
                "rec_ref": f"NPSC/REC/{open_date:%Y}/{number:03d}",
                "post_title": title,
                "post_details": details,
                "cadre": cadre,
                "duty_station": station,
                "no_of_posts": posts,
                "job_grade": grade,
                "monthly_salary_kes": salary,
                "open_date": open_date,
                "close_date": today + timedelta(days=closes),
            }
        )
    return rows
