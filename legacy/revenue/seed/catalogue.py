"""The citizen service catalogue: what the revenue authority offers and what it takes."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from legacy.revenue.seed.records import CatalogueService

PORTAL = "https://www.revenue.go.ke/services"

# code, title, category, fee (KES), processing days, online, updated (days ago),
# description, requirements
# fmt: off
_SERVICES: tuple[tuple[str, str, str, int, int, bool, int, str, tuple[str, ...]], ...] = (
    (
        "RA-SVC-001", "Individual PIN Registration", "Registration", 0, 0, True, 42,
        "Register for a Personal Identification Number (PIN), the taxpayer number needed "
        "to open a bank account, register a business, buy land or take up employment. "
        "Applications made on iTax with a valid national ID are approved instantly.",
        ("National ID card or Alien ID", "Active email address", "Mobile phone number"),
    ),
    (
        "RA-SVC-002", "Company (Non-Individual) PIN Registration", "Registration", 0, 2, True,
        65,
        "PIN registration for companies, partnerships, trusts, societies and other entities. "
        "Directors must have valid PINs before the entity is registered.",
        (
            "Certificate of incorporation or registration",
            "CR12 or list of partners from the Business Registration Service",
            "PINs of all directors or partners",
            "Physical address and postal address of the business",
        ),
    ),
    (
        "RA-SVC-003", "Non-Resident PIN Registration", "Registration", 0, 3, True, 120,
        "PIN registration for foreigners and non-resident entities earning income from "
        "Kenya, such as consultants on short contracts or owners of rental property.",
        (
            "Valid passport",
            "Letter of introduction from the Kenyan payer or tax representative",
            "Certificate of registration in the home country (entities)",
        ),
    ),
    (
        "RA-SVC-004", "Amendment of PIN Details", "Registration", 0, 2, True, 33,
        "Update the details held against a PIN: postal and physical address, business "
        "name, tax obligations, or a change of the registered mobile number.",
        ("iTax login", "Supporting document for the change (e.g. lease, ID, board resolution)"),
    ),
    (
        "RA-SVC-005", "Tax Compliance Certificate (TCC) Application", "Compliance", 0, 2, True,
        12,
        "Apply for a Tax Compliance Certificate, valid for twelve months, required for "
        "government tenders, public appointments, licences and work permits. The certificate "
        "is issued when all returns are filed and there is no outstanding tax debt.",
        (
            "All income tax, VAT and PAYE returns filed",
            "No outstanding tax liabilities, or an approved payment plan",
            "iTax login",
        ),
    ),
    (
        "RA-SVC-006", "Tax Compliance Certificate Validation", "Compliance", 0, 0, True, 12,
        "Confirm that a Tax Compliance Certificate presented by a supplier or job applicant "
        "is genuine and still valid, using its certificate number and the holder's PIN.",
        ("Certificate number", "PIN of the certificate holder"),
    ),
    (
        "RA-SVC-007", "VAT Registration", "Registration", 0, 7, True, 88,
        "Registration for Value Added Tax, compulsory for businesses with taxable supplies "
        "of KES 5 million or more in any twelve months; voluntary registration is possible "
        "below the threshold.",
        (
            "Valid PIN",
            "Evidence of turnover (sales records or projections)",
            "Business premises details and photographs",
            "Six months of bank statements",
        ),
    ),
    (
        "RA-SVC-008", "iTax Password Reset", "Account Management", 0, 0, True, 5,
        "Reset a forgotten iTax password. A new password is sent to the email address "
        "registered against the PIN after answering the security question.",
        ("PIN", "Access to the registered email address"),
    ),
    (
        "RA-SVC-009", "Change of Registered Email Address", "Account Management", 0, 1, False,
        150,
        "Replace the email address linked to a PIN when the old one is no longer "
        "accessible. The request is made in person at any service centre.",
        ("Original national ID or passport", "PIN certificate", "Completed change-of-email form"),
    ),
    (
        "RA-SVC-010", "Individual Income Tax Return Filing", "Filing and Payment", 0, 0, True, 9,
        "File the annual income tax return (form IT1) by 30 June for the previous year of "
        "income. Employees file using the P9 form from their employer; a nil return is "
        "required even when there was no income.",
        ("iTax login", "P9 form from each employer", "Receipts for reliefs claimed"),
    ),
    (
        "RA-SVC-011", "Monthly Rental Income Tax", "Filing and Payment", 0, 0, True, 27,
        "Resident landlords earning between KES 288,000 and KES 15 million a year in "
        "residential rent file and pay Monthly Rental Income tax at 7.5% of the gross rent "
        "by the 20th day of the following month.",
        ("Valid PIN with the MRI obligation", "Rent schedule per property", "Tenant details"),
    ),
    (
        "RA-SVC-012", "Turnover Tax Registration and Filing", "Filing and Payment", 0, 1, True,
        47,
        "Small businesses with a gross turnover between KES 1 million and KES 25 million a "
        "year may register for Turnover Tax, charged at 1.5% of gross sales and filed monthly "
        "by the 20th day of the following month.",
        ("Valid PIN", "Business permit", "Record of monthly sales"),
    ),
    (
        "RA-SVC-013", "PAYE Returns for Employers", "Filing and Payment", 0, 0, True, 19,
        "Employers deduct Pay As You Earn from employees' salaries and file the monthly PAYE "
        "return (P10) and pay the tax deducted by the 9th day of the following month.",
        ("Employer PIN with the PAYE obligation", "Employees' PINs", "Monthly payroll"),
    ),
    (
        "RA-SVC-014", "Payment Registration Number (PRN) and Tax Payment", "Filing and Payment",
        0, 0, True, 21,
        "Generate a Payment Registration Number on iTax and pay any tax through an appointed "
        "bank or mobile money using the PRN as the account number.",
        ("iTax login", "Tax head and period being paid"),
    ),
    (
        "RA-SVC-015", "Customs Import Declaration and Clearance", "Customs", 0, 2, True, 56,
        "Lodge an import declaration on the integrated customs management system and clear "
        "goods at the port of entry after duties, the Import Declaration Fee and the Railway "
        "Development Levy are paid.",
        (
            "Commercial invoice",
            "Bill of lading or airway bill",
            "Packing list",
            "Certificate of conformity where required",
            "Appointed licensed customs agent",
        ),
    ),
    (
        "RA-SVC-016", "Motor Vehicle Import Duty Assessment", "Customs", 0, 3, True, 73,
        "Assessment of import duty, excise duty, VAT and levies on an imported motor vehicle, "
        "based on its current retail selling price schedule, age and engine capacity. "
        "Vehicles older than eight years from the year of first registration are not admitted.",
        (
            "Original foreign logbook or certificate of registration",
            "Bill of lading",
            "Commercial invoice",
            "Pre-shipment roadworthiness inspection certificate",
        ),
    ),
    (
        "RA-SVC-017", "Customs Agent Licence", "Customs", 20000, 30, False, 210,
        "Licence for clearing and forwarding agents to transact customs business on behalf "
        "of importers and exporters. Licences expire on 31 December each year.",
        (
            "Certificate of incorporation",
            "Tax Compliance Certificate",
            "Customs training certificates for at least two staff",
            "Bank guarantee or security bond",
        ),
    ),
    (
        "RA-SVC-018", "Excise Licence Application", "Excise", 5000, 30, True, 95,
        "Licence for manufacturers and importers of excisable goods (alcoholic beverages, "
        "tobacco, bottled water, juices, cosmetics) and for providers of excisable services.",
        (
            "Valid PIN",
            "Tax Compliance Certificate",
            "County business permit",
            "Description of the manufacturing plant or warehouse",
            "Certificate of registration of the premises from the regulator",
        ),
    ),
    (
        "RA-SVC-019", "Excise Stamps Ordering", "Excise", 0, 5, True, 101,
        "Order excise stamps under the Excisable Goods Management System for goods that must "
        "bear a stamp before sale. Stamps are charged per unit at the published rate.",
        ("Excise licence", "Forecast of production or imports", "Payment of the stamp charge"),
    ),
    (
        "RA-SVC-020", "Tax Amnesty on Penalties and Interest", "Disputes and Relief", 0, 14,
        True, 15,
        "Taxpayers who pay the principal tax owed for periods up to 31 December 2022 before "
        "the amnesty window closes have the related penalties and interest waived in full.",
        (
            "Valid PIN",
            "Payment of the principal tax, or a payment plan approved by the Commissioner",
            "Amnesty application on iTax",
        ),
    ),
    (
        "RA-SVC-021", "Objection to a Tax Assessment", "Disputes and Relief", 0, 60, True, 38,
        "Object to an assessment within 30 days of the decision, stating the grounds and "
        "providing the supporting documents. The Commissioner decides within 60 days of a "
        "valid objection, after which it is allowed by law.",
        (
            "Notice of objection lodged on iTax",
            "Payment of the undisputed tax",
            "Documents supporting each ground of objection",
        ),
    ),
    (
        "RA-SVC-022", "Waiver of Penalties and Interest", "Disputes and Relief", 0, 30, True, 61,
        "Apply for a waiver of penalties and interest on grounds of hardship, natural "
        "disaster or other circumstances beyond the taxpayer's control.",
        (
            "Written application stating the grounds",
            "Evidence of the hardship or circumstance",
            "Payment of the principal tax",
        ),
    ),
    (
        "RA-SVC-023", "VAT Refund Claim", "Disputes and Relief", 0, 90, True, 44,
        "Claim a refund of excess input VAT arising from zero-rated supplies or of tax paid "
        "in error. Claims are audited before payment.",
        (
            "VAT returns for the refund period",
            "Audited accounts",
            "Export documents for zero-rated supplies",
            "Auditor's certificate for claims above KES 1 million",
        ),
    ),
    (
        "RA-SVC-024", "Withholding Tax Certificate Retrieval", "Filing and Payment", 0, 0, True,
        30,
        "Download withholding tax and withholding VAT certificates issued by customers, to "
        "claim the tax withheld against the annual return.",
        ("iTax login",),
    ),
    (
        "RA-SVC-025", "Electronic Tax Invoice (eTIMS) Onboarding", "Compliance", 0, 1, True, 7,
        "Register on the electronic Tax Invoice Management System so that every sales "
        "invoice is transmitted to the authority in real time; business expenses are only "
        "deductible against eTIMS invoices.",
        ("Valid PIN", "Business details", "Device or software to issue invoices"),
    ),
    (
        "RA-SVC-026", "Income Tax Exemption for Charitable Organisations", "Compliance", 0, 30,
        True, 180,
        "Exemption certificate for charitable organisations, valid for five years, under "
        "paragraph 10 of the First Schedule to the Income Tax Act.",
        (
            "Certificate of registration of the organisation",
            "Constitution or trust deed",
            "Audited accounts for the last two years",
            "Description of the charitable activities",
        ),
    ),
    (
        "RA-SVC-027", "Advance Tax on Commercial Vehicles", "Filing and Payment", 0, 0, True, 58,
        "Owners of commercial vehicles pay advance tax before licensing or renewing the "
        "inspection of the vehicle, at a rate set by the vehicle's load capacity.",
        ("Vehicle registration number", "Owner's PIN", "Inspection booking"),
    ),
    (
        "RA-SVC-028", "Certified Copies of Tax Documents", "Account Management", 1000, 5, False,
        240,
        "Certified copies of PIN certificates, returns, assessments and receipts for court "
        "proceedings, audits or foreign authorities.",
        ("Written request", "Original ID of the taxpayer or an authorised representative"),
    ),
)
# fmt: on


def build_catalogue(today: date) -> tuple[CatalogueService, ...]:
    """The service catalogue, last updated in the weeks and months before ``today``."""
    services = []
    for index, row in enumerate(_SERVICES):
        code, title, category, fee, days, online, age, description, requirements = row
        updated = datetime.combine(today - timedelta(days=age), time(9 + index % 8, 5 * index % 60))
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        services.append(
            CatalogueService(
                code=code,
                title=title,
                description=description,
                category=category,
                fee=Decimal(fee).quantize(Decimal("0.01")),
                processing_days=days,
                requirements=requirements,
                online=online,
                url=f"{PORTAL}/{slug}",
                last_updated=updated,
            )
        )
    return tuple(services)
