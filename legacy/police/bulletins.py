"""Security alerts (``security_alert``) and public notices (``public_notice``).

Dates are offsets from the stand-in's today: most alerts are in force, a few have
expired; notices spread over the last six months.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

# area, county (None: countrywide), level, title, message,
# issued (days from today), expires (days from today)
_ALERTS: tuple[tuple[str, str | None, str, str, str, int, int], ...] = (
    (
        "Nairobi CBD",
        "Nairobi",
        "ADVISORY",
        "Pickpocketing around bus termini",
        "Keep phones and wallets secure around the Kencom, Ambassadeur and Railways termini "
        "during the evening rush hour. Report incidents at Central Police Station or call 999.",
        -2,
        14,
    ),
    (
        "Thika Road (Kasarani - Ruiru)",
        "Nairobi",
        "WARNING",
        "Lane closures for road works",
        "Service lanes between Kasarani and Ruiru are closed at night for resurfacing. Motorists "
        "should use the diversions marked by traffic officers and expect delays.",
        -1,
        9,
    ),
    (
        "Likoni Ferry Channel",
        "Mombasa",
        "ADVISORY",
        "Heavy traffic at the Likoni crossing",
        "Expect long queues at the Likoni ferry during peak hours. Pedestrians are advised to use "
        "the Dongo Kundu bypass footbridge where possible and to beware of pickpockets.",
        -4,
        20,
    ),
    (
        "Kerio Valley",
        "Elgeyo Marakwet",
        "CRITICAL",
        "Banditry: travel in escorted convoys only",
        "Following attacks on motorists, travel between Chesongoch and Tot is allowed only in "
        "convoys escorted by security officers between 0700 and 1700 hours.",
        -3,
        30,
    ),
    (
        "Garissa - Dadaab Road",
        "Garissa",
        "WARNING",
        "Threat of roadside explosive devices",
        "Motorists should avoid travel at night, report suspicious objects on the road and follow "
        "the instructions of security officers at checkpoints.",
        -6,
        24,
    ),
    (
        "Countrywide",
        None,
        "ADVISORY",
        "Fake police recruitment agents",
        "The National Police Service does not charge any fee for recruitment. Report anyone "
        "asking for money to secure a place to the nearest police station or call 0800 722 203.",
        -10,
        45,
    ),
    (
        "Countrywide",
        None,
        "WARNING",
        "SIM-swap and mobile money fraud",
        "Fraudsters are calling subscribers pretending to be mobile money agents. Never share "
        "your PIN; report suspicious calls to the DCI on 0800 722 203.",
        -5,
        60,
    ),
    (
        "Kisumu CBD",
        "Kisumu",
        "ADVISORY",
        "Planned demonstrations on Oginga Odinga Street",
        "Expect road closures around Kenyatta Highway and Oginga Odinga Street. Businesses are "
        "advised to secure their premises; keep away from crowds.",
        -1,
        3,
    ),
    (
        "Naivasha - Mai Mahiu Road",
        "Nakuru",
        "WARNING",
        "Flooding and road diversions",
        "Heavy rains have washed away sections of the road near Suswa. Heavy commercial vehicles "
        "should use the Naivasha - Nakuru route until further notice.",
        -2,
        12,
    ),
    (
        "Laikipia North",
        "Laikipia",
        "CRITICAL",
        "Dusk-to-dawn curfew in force",
        "A curfew from 1830 to 0630 hours is in force in Mukogodo and Ol Moran following livestock "
        "raids. Residents are required to surrender illegally held firearms.",
        -8,
        21,
    ),
    (
        "Marsabit - Moyale Road",
        "Marsabit",
        "WARNING",
        "Inter-communal tension",
        "Security has been reinforced along the Marsabit - Moyale road. Travellers should use "
        "public service vehicles in daylight and report movements of armed groups.",
        -3,
        16,
    ),
    (
        "Nairobi",
        "Nairobi",
        "ADVISORY",
        "Secure your home before the holidays",
        "Residents travelling upcountry are advised to inform neighbours and the estate's "
        "community policing committee, and to lock away valuables.",
        -40,
        -25,
    ),
    (
        "Eldoret Town",
        "Uasin Gishu",
        "ADVISORY",
        "Rise in motorcycle thefts",
        "Boda boda riders are advised to fit immobilisers and avoid carrying unknown passengers "
        "at night on the Kapseret and Langas routes.",
        -30,
        -9,
    ),
    (
        "Malindi Town",
        "Kilifi",
        "ADVISORY",
        "Beach safety during the high season",
        "Tourists should keep to patrolled beaches, avoid unlicensed beach operators and report "
        "harassment to the Tourism Police Unit.",
        -50,
        -20,
    ),
    (
        "Countrywide",
        None,
        "ADVISORY",
        "Security of national examination centres",
        "Tampering with examination materials is a criminal offence. Report leakage offers to "
        "the nearest police station; officers are deployed at every distribution centre.",
        -70,
        -45,
    ),
)

# type, title, summary, body, published (days before today)
_NOTICES: tuple[tuple[str, str, str, str, int], ...] = (
    (
        "Press Release",
        "Digital Occurrence Book rolled out to 200 more stations",
        "Complainants can now receive an SMS with their OB number at 200 more stations.",
        "The Service has extended the digital Occurrence Book to 200 stations in 14 counties. "
        "Every report now gets an OB number by SMS, and complainants can follow the status of "
        "their file online with that number.",
        3,
    ),
    (
        "Public Notice",
        "Police abstracts are free of charge",
        "No officer may ask for payment to issue a police abstract for lost documents.",
        "Members of the public are reminded that police abstracts are issued free of charge at "
        "every police station. Report any officer demanding payment to the Internal Affairs Unit.",
        6,
    ),
    (
        "Traffic Advisory",
        "Road closures for the Nairobi City Marathon",
        "Uhuru Highway and Mombasa Road will be closed from 0500 to 1300 hours on Sunday.",
        "Motorists are advised to use Ngong Road and the Southern Bypass. Traffic officers will be "
        "deployed at all junctions along the route.",
        9,
    ),
    (
        "Press Release",
        "Suspects arrested over Kayole robberies",
        "Five suspects were arrested and two pistols recovered after a joint operation.",
        "Officers from Kayole Police Station and the DCI arrested five suspects linked to a series "
        "of robberies in Kayole and Komarock. They will be arraigned on Monday.",
        12,
    ),
    (
        "Community Policing",
        "Nyumba Kumi forum held in Nyali",
        "Residents and officers met to agree on security measures for the festive season.",
        "The forum agreed on street lighting, night patrols and a WhatsApp reporting line "
        "monitored by Nyali Police Station.",
        15,
    ),
    (
        "Public Notice",
        "Police Clearance Certificate applications move fully online",
        "Applications are now made only on eCitizen; fingerprints are taken at Huduma Centres.",
        "Applicants pay KES 1,050 on eCitizen and book a fingerprint appointment. Certificates are "
        "downloaded from the applicant's eCitizen account once ready.",
        19,
    ),
    (
        "Press Release",
        "Recruitment of 10,000 police constables announced",
        "Recruitment will take place in every constituency on the same day.",
        "Candidates must be Kenyan citizens aged 18 to 28 holding a KCSE mean grade of C (plain). "
        "Recruitment is free of charge; report anyone asking for money.",
        24,
    ),
    (
        "Traffic Advisory",
        "Crackdown on unroadworthy public service vehicles",
        "A two-week operation targets matatus without valid inspection stickers.",
        "Vehicles found without valid inspection will be impounded. Owners should present vehicles "
        "for inspection before the operation begins.",
        28,
    ),
    (
        "Community Policing",
        "Gender desks opened at 30 stations",
        "Survivors of gender-based violence can report to trained officers in private rooms.",
        "The new desks are staffed around the clock and linked to hospitals for P3 "
        "examinations and "
        "to shelters run by partner organisations.",
        33,
    ),
    (
        "Press Release",
        "Stolen vehicles recovered at the Malaba border",
        "Seven vehicles reported stolen in Nairobi were intercepted at Malaba.",
        "Owners have been contacted to identify their vehicles. Buyers are advised to verify "
        "vehicles with the DCI before purchase.",
        38,
    ),
    (
        "Public Notice",
        "Firearm holders: renew your licences",
        "Civilian firearm holders must renew licences before the end of the month.",
        "Renewal is done at the Firearms Licensing Board offices after vetting. Holders with "
        "expired licences must surrender their firearms at the nearest police station.",
        44,
    ),
    (
        "Traffic Advisory",
        "Heavy traffic expected on Nairobi - Mombasa Road",
        "Expect delays near Athi River and Mtito Andei during the holiday season.",
        "Drivers should rest every two hours, avoid overtaking on bends and observe speed limits "
        "within towns.",
        51,
    ),
    (
        "Press Release",
        "Police officers trained in handling cybercrime",
        "One hundred officers completed a course on digital evidence.",
        "The officers will be posted to county cybercrime desks to investigate online fraud, "
        "impersonation and harassment.",
        57,
    ),
    (
        "Community Policing",
        "Boda boda riders join safety campaign in Kisumu",
        "Riders received reflective jackets and training on traffic rules.",
        "The campaign, run with Kondele Police Station, also registers riders' stages to help "
        "trace "
        "stolen motorcycles.",
        63,
    ),
    (
        "Public Notice",
        "Unclaimed exhibits to be disposed of",
        "Owners of recovered property held at Central Police Station have 30 days to claim it.",
        "Claimants should bring proof of ownership and the OB number under which the loss was "
        "reported. Unclaimed items will be disposed of by public auction.",
        70,
    ),
    (
        "Press Release",
        "Inspector-General meets county commanders",
        "Commanders agreed on priorities for the coming quarter.",
        "The priorities are response times to emergency calls, the digital Occurrence Book and "
        "community policing in informal settlements.",
        78,
    ),
    (
        "Traffic Advisory",
        "Speed cameras on the Thika Superhighway",
        "Average-speed cameras start operating between Muthaiga and Juja.",
        "Offenders will receive notices of the fine by SMS. The speed limit remains 100 km/h on "
        "the main carriageway and 50 km/h on service lanes.",
        85,
    ),
    (
        "Community Policing",
        "School safety week",
        "Officers visited 120 schools to talk about drug abuse and road safety.",
        "Pupils learnt how to report bullying and abuse, and schools named safety teachers who "
        "link with their nearest police station.",
        93,
    ),
    (
        "Public Notice",
        "Beware of fake police clearance certificates",
        "Employers can verify certificates with the QR code on each certificate.",
        "Certificates without a valid QR code should be reported to the DCI. Forging a certificate "
        "is an offence punishable under the Penal Code.",
        101,
    ),
    (
        "Press Release",
        "New police station opened in Kasarani",
        "The station serves Mwiki, Sunton and Clay City.",
        "The station has a gender desk, a children's desk and a digital Occurrence Book. "
        "Residents can reach it on the published telephone line around the clock.",
        110,
    ),
    (
        "Traffic Advisory",
        "Diversions during the Eldoret bypass works",
        "Heavy vehicles must use the Kipkaren route until works are complete.",
        "Traffic officers will guide motorists at the Kapseret junction. Expect delays between "
        "0700 and 0900 hours.",
        119,
    ),
    (
        "Community Policing",
        "Nyumba Kumi committees elected in Garissa",
        "New committees will meet officers every month.",
        "The committees will share information on security threats and help resolve disputes "
        "between neighbours.",
        128,
    ),
    (
        "Public Notice",
        "Recruitment results published",
        "Successful candidates should report to the National Police College, Kiganjo.",
        "Lists of successful candidates are posted at every county commander's office. Candidates "
        "must report with their original certificates and national identity cards.",
        140,
    ),
    (
        "Press Release",
        "Police medal ceremony honours 50 officers",
        "Officers were honoured for bravery and distinguished service.",
        "Among them were officers who rescued passengers during the floods in Tana River and "
        "officers who foiled a bank robbery in Nakuru.",
        155,
    ),
    (
        "Public Notice",
        "Change of telephone lines at Nakuru Central",
        "The station's new landline is +254 51 2212303.",
        "The emergency numbers 999, 112 and 911 remain unchanged. Members of the public should "
        "update their records.",
        170,
    ),
)


def security_alert_rows(today: date) -> list[dict[str, Any]]:
    """The alerts, issued in the morning and expiring in the evening, local time."""
    return [
        {
            "alert_area": area,
            "county": county,
            "alert_level": level,
            "alert_title": title,
            "alert_msg": message,
            "issued_at": datetime.combine(today + timedelta(days=issued), time(7, 30)),
            "expires_at": datetime.combine(today + timedelta(days=expires), time(18, 0)),
        }
        for area, county, level, title, message, issued, expires in _ALERTS
    ]


def public_notice_rows(today: date) -> list[dict[str, Any]]:
    """The public notices, newest first, published during office hours."""
    return [
        {
            "pn_title": title,
            "pn_summary": summary,
            "pn_body": body,
            "pn_type": kind,
            "published_at": datetime.combine(
                today - timedelta(days=days), time(9 + days % 7, (days * 7) % 60)
            ),
        }
        for kind, title, summary, body, days in _NOTICES
    ]
