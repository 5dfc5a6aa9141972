"""Press releases, public notices and tax alerts of the last six months."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from legacy.revenue.seed.records import NewsRelease

MEDIA_CENTRE = "https://www.revenue.go.ke/media-centre"

# days before today, local time published, category, title, summary, body
# fmt: off
_NEWS: tuple[tuple[int, str, str, str, str, str], ...] = (
    (
        1, "10:30", "Press Release", "Revenue collection exceeds target for the quarter",
        "The authority collected KES 684.6 billion in the quarter, 101.4% of its target.",
        "Domestic taxes contributed KES 421.3 billion and customs KES 263.3 billion. The "
        "growth was driven by improved PAYE compliance, the expansion of electronic "
        "invoicing and stronger enforcement at the ports of entry. The Commissioner General "
        "thanked taxpayers for their continued compliance.",
    ),
    (
        3, "14:00", "Tax Alert", "PAYE, VAT and excise returns due on the 20th",
        "Reminder: monthly VAT, excise and Turnover Tax returns are due on the 20th.",
        "Taxpayers are reminded that VAT, excise duty, Turnover Tax and Monthly Rental Income "
        "returns for last month must be filed and the tax paid by the 20th of this month. "
        "Late filing attracts a penalty of KES 10,000 or 5% of the tax due, whichever is "
        "higher.",
    ),
    (
        5, "09:00", "Public Notice", "Scheduled iTax maintenance this weekend",
        "iTax will be unavailable from Saturday 22:00 to Sunday 06:00 for system upgrades.",
        "The authority will upgrade the iTax platform to improve its performance. During the "
        "maintenance window taxpayers will not be able to file returns, generate payment "
        "registration numbers or apply for Tax Compliance Certificates. Deadlines falling "
        "within the window are not affected.",
    ),
    (
        8, "11:15", "Press Release", "Authority seizes counterfeit spirits worth KES 42 million",
        "Officers intercepted two trucks carrying counterfeit spirits with fake excise stamps.",
        "The consignment of 18,400 bottles was intercepted at Mlolongo weighbridge following "
        "intelligence from the Excisable Goods Management System. The goods will be destroyed "
        "and the owners prosecuted under the Excise Duty Act.",
    ),
    (
        11, "16:45", "Customs Notice", "New clearance procedure for courier consignments",
        "Low-value courier consignments will be cleared through a simplified declaration.",
        "From the first day of next month, courier consignments valued below KES 50,000 will "
        "be declared by the courier operator on a simplified manifest-based declaration. "
        "Importers of higher-value consignments must lodge a full import declaration through "
        "a licensed customs agent.",
    ),
    (
        14, "10:00", "Public Notice", "Tax amnesty window closes in June",
        "Taxpayers have until 30 June to pay principal tax and have penalties waived.",
        "The amnesty covers tax periods up to 31 December 2022. Taxpayers who pay the "
        "principal tax owed, or agree a payment plan with the Commissioner, before 30 June "
        "will have all penalties and interest on those periods waived. Applications are made "
        "on iTax under the Debt and Enforcement menu.",
    ),
    (
        17, "12:30", "Press Release", "Over 120,000 businesses now on eTIMS",
        "Onboarding onto the electronic tax invoice system has doubled since January.",
        "Small traders account for 61% of the new registrations, helped by the eTIMS lite "
        "mobile application. From the next year of income, expenses not supported by an "
        "electronic tax invoice will not be deductible for income tax purposes.",
    ),
    (
        21, "09:30", "Tax Alert", "Individual income tax returns due by 30 June",
        "All persons with a PIN must file their annual return, including nil returns.",
        "Employees should use the P9 form issued by their employer to file the return on "
        "iTax. Late filing attracts a penalty of KES 2,000 or 5% of the tax due, whichever is "
        "higher. Service centres will open on the last two Saturdays of June to assist.",
    ),
    (
        26, "15:00", "Press Release", "Authority signs data-sharing agreement with land registry",
        "The agreement links property transfers to the rental income tax register.",
        "Transfers of title will be matched against the Monthly Rental Income register so "
        "that new landlords are prompted to register for the obligation. Personal data will "
        "be processed in line with the Data Protection Act.",
    ),
    (
        31, "10:45", "Customs Notice", "Revised current retail selling price schedule for vehicles",
        "The schedule used to value imported motor vehicles has been revised.",
        "The revised schedule applies to vehicles arriving at the port of Mombasa from the "
        "first day of next month. Importers may view the value of a specific model on the "
        "customs portal before shipment.",
    ),
    (
        36, "08:30", "Public Notice", "Beware of fraudsters posing as revenue officers",
        "The authority does not ask for payments to personal mobile numbers.",
        "Taxpayers have reported calls from people claiming to be revenue officers and "
        "demanding payment to personal mobile money numbers to stop enforcement. All tax "
        "payments are made with a Payment Registration Number through appointed banks or the "
        "official paybill. Report suspicious calls to the toll-free line.",
    ),
    (
        42, "11:00", "Press Release", "New service centre opens in Kitengela",
        "Taxpayers in Kajiado County can now get in-person help closer to home.",
        "The Kitengela service centre offers PIN registration, iTax assistance, Tax "
        "Compliance Certificate support and customs enquiries from Monday to Friday, 8:00 to "
        "17:00. It is the authority's 38th service centre.",
    ),
    (
        47, "14:20", "Tax Alert", "Withholding tax on digital content monetisation",
        "Platforms must withhold 5% on payments to resident digital content creators.",
        "Digital platforms that pay resident content creators for monetised content must "
        "withhold tax at 5% and remit it by the 5th day of the following month. Creators "
        "can claim the tax withheld against their annual income tax return.",
    ),
    (
        53, "09:15", "Press Release", "Revenue authority wins public service excellence award",
        "The award recognises the reduction of TCC processing from five days to two.",
        "The authority was recognised for automating the review of Tax Compliance "
        "Certificate applications, which now takes an average of two working days. "
        "Applications meeting every condition are approved the same day.",
    ),
    (
        58, "16:00", "Public Notice", "Extension of Turnover Tax filing deadline",
        "The Turnover Tax return for last month may be filed until the 27th.",
        "Following a disruption of the filing platform, the Commissioner has extended the "
        "deadline for Turnover Tax returns for the period by seven days. No penalties will be "
        "charged for returns filed within the extension.",
    ),
    (
        64, "10:10", "Customs Notice", "24-hour operations at Namanga one-stop border post",
        "The border post will clear cargo round the clock from next Monday.",
        "Clearing agents are advised to lodge declarations in advance on the integrated "
        "customs management system to benefit from pre-arrival processing. Joint "
        "verification with the Tanzania Revenue Authority continues at the single bay.",
    ),
    (
        70, "13:00", "Press Release", "Authority recovers KES 3.2 billion in tax arrears",
        "Targeted enforcement on large taxpayers recovered arrears dating back five years.",
        "The recovery followed the review of 214 cases of unpaid assessments. Taxpayers with "
        "arrears are encouraged to agree payment plans rather than face agency notices on "
        "their bank accounts.",
    ),
    (
        77, "09:00", "Tax Alert", "Changes in the Finance Act: what employers need to know",
        "New PAYE bands and housing levy deductions take effect next month.",
        "Employers must update their payroll systems for the revised PAYE bands and the "
        "affordable housing levy of 1.5% of gross salary. The iTax P10 return has been "
        "updated to capture the levy separately.",
    ),
    (
        84, "11:30", "Public Notice", "Public participation on draft excise regulations",
        "Comments on the draft Excise Duty (Amendment) Regulations are invited.",
        "The draft regulations revise the conditions for excise licences and the destruction "
        "of spoilt excisable goods. Written comments may be sent to the Commissioner for "
        "Domestic Taxes within 21 days of this notice.",
    ),
    (
        91, "15:30", "Press Release", "Taxpayers' week: record 4,500 taxpayers served",
        "Service centres across the country held clinics on filing and compliance.",
        "The clinics covered iTax filing, eTIMS onboarding, rental income tax and the tax "
        "amnesty. The authority will hold similar clinics in the counties every quarter.",
    ),
    (
        98, "10:00", "Customs Notice", "Electronic cargo tracking mandatory for transit goods",
        "All transit cargo must carry an active electronic seal from entry to exit.",
        "Transporters of transit cargo to Uganda, Rwanda, South Sudan and the Democratic "
        "Republic of Congo must fit electronic seals at the port of entry. Tampering with a "
        "seal is an offence under the East African Community Customs Management Act.",
    ),
    (
        105, "12:00", "Public Notice", "Closure of offices on public holiday",
        "All offices and service centres will be closed on the public holiday.",
        "iTax, the customs system and the contact centre remain available. Border posts and "
        "ports will operate as usual.",
    ),
    (
        113, "09:45", "Press Release", "Authority partners with universities on tax education",
        "A tax education module will be offered to first-year students in ten universities.",
        "The module introduces PIN registration, filing obligations and the role of taxes in "
        "funding public services. Students completing it will receive a certificate from the "
        "authority's training college.",
    ),
    (
        121, "14:30", "Tax Alert", "Monthly Rental Income tax rate revised to 7.5%",
        "The rate applies to rent received from the start of the year.",
        "Landlords earning between KES 288,000 and KES 15 million in gross residential rent "
        "a year pay 7.5% of the gross rent monthly by the 20th of the following month. Those "
        "above KES 15 million declare rental income in the annual return.",
    ),
    (
        130, "10:20", "Press Release",
        "New scanners installed at Kilindini and the Inland Container Depot",
        "High-capacity scanners cut container verification time to four minutes.",
        "The scanners are integrated with the customs management system so that images are "
        "reviewed remotely. Physical verification will only be required for containers "
        "flagged by risk management.",
    ),
    (
        138, "08:00", "Public Notice", "Invitation to the annual taxpayers' forum",
        "Taxpayers and tax agents are invited to the annual consultative forum.",
        "The forum will discuss the medium-term revenue strategy, customer service standards "
        "and proposed amendments to the Tax Procedures Act. Registration is free on the "
        "authority's website.",
    ),
    (
        147, "11:00", "Press Release", "Half-year revenue performance",
        "The authority collected KES 1.24 trillion in the first half of the financial year.",
        "Collections grew 11.2% compared with the same period last year. Domestic taxes "
        "grew by 12.8% and customs by 8.7%, reflecting recovery in imports.",
    ),
    (
        156, "16:15", "Customs Notice", "Suspension of manual declarations at Busia",
        "Only electronic declarations will be accepted at the Busia border from next week.",
        "Clearing agents who have not been trained on the integrated customs management "
        "system may attend the free sessions held at the Busia office every Tuesday.",
    ),
    (
        165, "09:30", "Tax Alert", "Excise duty on betting and gaming adjusted",
        "Excise duty on amounts wagered is now 15%.",
        "Betting and gaming operators must charge excise duty at 15% of the amount wagered "
        "and remit it within 24 hours. Operators must integrate their systems with the "
        "authority's monitoring platform.",
    ),
    (
        176, "13:45", "Press Release", "Commissioner General meets county revenue officers",
        "The meeting agreed on joint enforcement of property and rental income taxes.",
        "The authority and county governments will share data on rateable property and "
        "business permits to widen the tax base while avoiding double taxation.",
    ),
)
# fmt: on


def build_news(today: date) -> tuple[NewsRelease, ...]:
    """The news of the months before ``today``, newest first, numbered per year."""
    dated = sorted(
        (
            datetime.combine(today - timedelta(days=days), time.fromisoformat(at)),
            category,
            title,
            summary,
            body,
        )
        for days, at, category, title, summary, body in _NEWS
    )
    per_year: Counter[int] = Counter()
    releases = []
    for published, category, title, summary, body in dated:
        per_year[published.year] += 1
        news_id = f"RA-NEWS-{published.year}-{per_year[published.year]:03d}"
        releases.append(
            NewsRelease(
                news_id=news_id,
                title=title,
                summary=summary,
                body=body,
                category=category,
                published=published,
                url=f"{MEDIA_CENTRE}/{news_id.lower()}",
            )
        )
    return tuple(reversed(releases))
