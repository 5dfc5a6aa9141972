"""The service catalogue (``service_catalogue``) and procurement tenders (``tender_notice``).

Tender dates are offsets from the stand-in's today and their status words are what
the procurement office had entered: open tenders, tenders closed or under
evaluation, awarded and cancelled ones. Amounts are whole Kenya shillings.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from legacy.police.schema import REQUIREMENT_SEPARATOR

ECITIZEN = "https://accounts.ecitizen.go.ke/en/services/national-police-service"

# code, name, description, group, fee (KES; None: not charged), days, requirements,
# online, updated (days before today)
_SERVICES: tuple[
    tuple[str, str, str, str, int | None, int | None, tuple[str, ...], bool, int], ...
] = (
    (
        "PCC",
        "Police Clearance Certificate",
        "The certificate of good conduct issued by the DCI after a check of criminal records, "
        "required for employment, study and travel.",
        "Certificates",
        1_050,
        14,
        (
            "Copy of national ID card or passport",
            "eCitizen payment receipt",
            "Fingerprints taken at a Huduma Centre or DCI Headquarters",
        ),
        True,
        20,
    ),
    (
        "ABS",
        "Police Abstract for Lost Documents",
        "An abstract of the OB entry reporting the loss of documents or property, needed to "
        "replace identity cards, licences, certificates and number plates.",
        "Reporting",
        None,
        1,
        ("Report the loss at any police station", "Copy of the lost document if available"),
        False,
        60,
    ),
    (
        "P3",
        "P3 Medical Examination Form",
        "The form on which a medical officer records injuries of a victim of assault or sexual "
        "violence; issued by the police after the incident is booked.",
        "Reporting",
        None,
        1,
        ("OB number of the reported assault", "Examination by a government medical officer"),
        False,
        90,
    ),
    (
        "ACC",
        "Police Abstract for Road Traffic Accidents",
        "An abstract of the accident report for insurance claims and the repair of vehicles.",
        "Motor Vehicles",
        100,
        3,
        (
            "OB number of the accident",
            "Copy of the driving licence",
            "Logbook or copy of records",
            "Insurance certificate",
        ),
        False,
        45,
    ),
    (
        "MVI",
        "Motor Vehicle Inspection and Verification",
        "Physical inspection of a vehicle's chassis and engine numbers by the DCI motor vehicle "
        "unit, required for transfer, re-registration and export.",
        "Motor Vehicles",
        1_000,
        2,
        (
            "Original logbook",
            "Copy of the owner's ID card or KRA PIN certificate",
            "The vehicle presented at the inspection yard",
        ),
        True,
        30,
    ),
    (
        "FLC",
        "Civilian Firearm Licence",
        "Application for a certificate to own a firearm, processed by the Firearms Licensing Board "
        "after vetting.",
        "Licensing",
        20_000,
        90,
        (
            "Police Clearance Certificate",
            "Medical and psychological assessment",
            "Certificate of competency from an approved range",
            "Two passport photographs",
            "Recommendation of the County Police Commander",
        ),
        True,
        120,
    ),
    (
        "FLR",
        "Renewal of a Civilian Firearm Licence",
        "Yearly renewal of a firearm certificate; the firearm is inspected at renewal.",
        "Licensing",
        10_000,
        30,
        ("Current firearm certificate", "The firearm presented for inspection"),
        True,
        120,
    ),
    (
        "ESC",
        "Police Escort for Cash in Transit",
        "Armed escort of cash or valuables by officers, charged per trip and per officer.",
        "Security Services",
        2_500,
        2,
        ("Written request on the company's letterhead", "Route and schedule of the movement"),
        False,
        75,
    ),
    (
        "EVT",
        "Police Cover for Public Events",
        "Deployment of officers for concerts, sports events and private functions.",
        "Security Services",
        5_000,
        7,
        (
            "Written request at least seven days before the event",
            "Approval of the venue by the county government",
        ),
        False,
        75,
    ),
    (
        "PMN",
        "Notification of Public Meetings and Processions",
        "Organisers notify the police of public meetings and processions as the Public Order Act "
        "requires; the police advise on route and security.",
        "Public Order",
        None,
        3,
        (
            "Written notice three to fourteen days before the meeting",
            "Names and contacts of the organisers",
            "Proposed venue, route and time",
        ),
        False,
        150,
    ),
    (
        "OBX",
        "Certified Extract of an OB Entry",
        "A certified copy of an Occurrence Book entry for court proceedings, insurance or "
        "employers.",
        "Reporting",
        500,
        3,
        ("OB number", "Copy of the applicant's ID card", "Proof of interest in the entry"),
        False,
        60,
    ),
    (
        "MPR",
        "Missing Person Report",
        "Reporting a missing person; there is no waiting period before a report is taken.",
        "Reporting",
        None,
        None,
        ("Recent photograph of the missing person", "Description of clothing and last place seen"),
        False,
        200,
    ),
    (
        "GBV",
        "Gender Desk: Reporting Sexual and Gender-Based Violence",
        "Survivors report to trained officers in private, are referred for medical care and "
        "counselling and get a P3 form.",
        "Reporting",
        None,
        None,
        ("Report in person at a station with a gender desk, or call the toll-free line 1195",),
        False,
        33,
    ),
    (
        "IAU",
        "Complaint Against a Police Officer",
        "Complaints about the conduct of an officer, handled by the Internal Affairs Unit.",
        "Complaints",
        None,
        30,
        (
            "Name, service number or station of the officer if known",
            "Date and place of the incident",
        ),
        True,
        100,
    ),
    (
        "FDE",
        "Forensic Document Examination",
        "Examination of questioned documents and signatures by the DCI Forensic Laboratory at the "
        "request of a court or an investigating officer.",
        "Forensics",
        5_000,
        21,
        ("Court order or request from the investigating officer", "The original documents"),
        False,
        180,
    ),
    (
        "KPR",
        "Enlistment in the Kenya Police Reserve",
        "Application to serve as a police reservist in one's own area.",
        "Recruitment",
        None,
        60,
        (
            "Copy of national ID card",
            "Recommendation of the local chief",
            "Police Clearance Certificate",
        ),
        False,
        210,
    ),
)

# number, title, description, category, status word, advertised (days from today),
# closes (days from today), estimated value (KES)
_TENDERS: tuple[tuple[int, str, str, str, str, int, int, int | None], ...] = (
    (
        1,
        "Supply and delivery of police uniforms",
        "Supply of the new blue uniform (shirts, trousers, berets and jackets) for 30,000 officers "
        "in three lots.",
        "Goods",
        "OPEN",
        -10,
        18,
        480_000_000,
    ),
    (
        2,
        "Supply of combat boots and protective gear",
        "Boots, helmets, ballistic vests and riot shields for the General Service Unit.",
        "Goods",
        "OPEN",
        -8,
        12,
        215_000_000,
    ),
    (
        3,
        "Construction of an administration block at Kayole Police Station",
        "Design and build of a two-storey block with report office, cells and gender desk.",
        "Works",
        "OPEN",
        -14,
        3,
        86_500_000,
    ),
    (
        4,
        "Renovation of staff houses at Kilimani Police Lines",
        "Roofing, plumbing and electrical works on 48 housing units.",
        "Works",
        "OPEN",
        -5,
        25,
        42_300_000,
    ),
    (
        5,
        "Maintenance and repair of motor vehicles",
        "Framework contract for servicing and repair of the Service's vehicles in Nairobi, Coast "
        "and Nyanza regions.",
        "Services",
        "OPEN",
        -3,
        28,
        150_000_000,
    ),
    (
        6,
        "Supply of fuel and lubricants",
        "Supply of diesel, petrol and lubricants through fuel cards for two years.",
        "Goods",
        "UNDER EVALUATION",
        -40,
        -9,
        1_200_000_000,
    ),
    (
        7,
        "Medical insurance cover for police officers",
        "Comprehensive inpatient and outpatient cover for officers and their dependants.",
        "Services",
        "AWARDED",
        -90,
        -55,
        4_800_000_000,
    ),
    (
        8,
        "Supply and installation of CCTV at Mombasa Central Police Station",
        "Cameras, a control room and two years of maintenance.",
        "Goods",
        "OPEN",
        -2,
        1,
        18_750_000,
    ),
    (
        9,
        "Supply of ICT equipment for the digital Occurrence Book",
        "Desktop computers, printers and tablets for 500 police stations.",
        "Goods",
        "OPEN",
        -7,
        21,
        312_000_000,
    ),
    (
        10,
        "Cleaning and fumigation services",
        "Cleaning of offices and fumigation of cells at 40 stations in Nairobi.",
        "Services",
        "CLOSED",
        -35,
        -4,
        24_000_000,
    ),
    (
        11,
        "Supply of foodstuffs to the National Police College, Kiganjo",
        "Cereals, vegetables and meat for recruits in training.",
        "Goods",
        "OPEN",
        -6,
        9,
        96_000_000,
    ),
    (
        12,
        "Supply of motorcycles for rural patrols",
        "250 off-road motorcycles with helmets and riding gear.",
        "Goods",
        "CANCELLED",
        -60,
        -30,
        87_500_000,
    ),
    (
        13,
        "Catering services for the passing-out parade",
        "Catering for 8,000 guests at Kiganjo.",
        "Services",
        "OPEN",
        -1,
        14,
        15_600_000,
    ),
    (
        14,
        "Consultancy for the design of the forensic laboratory extension",
        "Architectural and engineering design, bills of quantities and supervision.",
        "Consultancy",
        "OPEN",
        -9,
        16,
        35_000_000,
    ),
    (
        15,
        "Supply of digital trunked radio handsets",
        "2,000 handsets compatible with the Service's existing network.",
        "Goods",
        "AWARDED",
        -120,
        -80,
        640_000_000,
    ),
    (
        16,
        "Supply of tents and camping equipment",
        "Tents, camp beds and water tanks for deployments in arid areas.",
        "Goods",
        "OPEN",
        -4,
        30,
        52_000_000,
    ),
)


def service_rows(today: date) -> list[dict[str, Any]]:
    """The services, as the catalogue lists them."""
    return [
        {
            "svc_code": code,
            "svc_name": name,
            "svc_desc": description,
            "svc_group": group,
            "fee_kes": fee,
            "processing_days": days,
            "requirements": REQUIREMENT_SEPARATOR.join(requirements),
            "online_yn": "Y" if online else "N",
            "apply_url": f"{ECITIZEN}/{code.lower()}" if online else None,
            "last_updated": datetime.combine(today - timedelta(days=updated), time(10, 15)),
        }
        for code, name, description, group, fee, days, requirements, online, updated in _SERVICES
    ]


def tender_rows(today: date) -> list[dict[str, Any]]:
    """The tenders, numbered within the financial year (July to June) of their advert."""
    rows: list[dict[str, Any]] = []
    for number, title, description, category, status, advertised, closes, value in _TENDERS:
        advert_date = today + timedelta(days=advertised)
        start = advert_date.year if advert_date.month >= 7 else advert_date.year - 1
        method = "ONT" if value is None or value >= 50_000_000 else "RFQ"
        rows.append(
            {
                "tender_no": f"NPS/{method}/{number:03d}/{start}-{start + 1}",
                "tender_title": title,
                "tender_desc": description,
                "proc_category": category,
                "tender_status": status,
                "advert_date": advert_date,
                "closing_at": datetime.combine(today + timedelta(days=closes), time(11, 0)),
                "est_value_kes": value,
            }
        )
    return rows
