"""The Occurrence Book database's own schema, as the legacy system defines it.

Names follow the legacy system's habits (abbreviated, prefixed columns, singular
table names); times are naive local times (Africa/Nairobi) and amounts whole
Kenya shillings, as the system has always stored them. OB numbers are issued per
day across the service ("OB/23/14/11/2026" is the 23rd entry of 14 November 2026)
and each entry records the station that took it.

Entries the Citizen Hub files carry the hub's ticket id in ``hub_ticket_id`` (unique,
so a ticket is never entered twice) and the moment they were entered in
``entered_at``. Every action the station's staff take on an entry is a row of
``ob_action``, the entry's own status word and ``last_action_at`` moving with it.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

police_station = Table(
    "police_station",
    metadata,
    Column("stn_code", String(8), primary_key=True),
    Column("stn_name", String(80), nullable=False),
    Column("county", String(40), nullable=False),
    Column("sub_county", String(60), nullable=False),
    Column("tel_no", String(20)),
)

ob_register = Table(
    "ob_register",
    metadata,
    Column("ob_id", Integer, primary_key=True, autoincrement=True),
    Column("ob_no", String(24), nullable=False, unique=True),
    Column("entry_no", Integer, nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("stn_code", String(8), ForeignKey("police_station.stn_code"), nullable=False),
    Column("occ_nature", String(120), nullable=False),
    Column("occ_category", String(40), nullable=False),
    Column("narrative", Text, nullable=False),
    Column("reported_at", DateTime, nullable=False),
    Column("ob_status", String(30), nullable=False),
    Column("compl_name", String(80)),
    Column("compl_phone", String(20)),
    Column("compl_id_no", String(12)),
    Column("officer_svc_no", String(12), nullable=False),
    Column("last_action_at", DateTime, nullable=False),
    Column("compl_email", String(120)),
    Column("hub_ticket_id", String(64)),
    Column("entered_at", DateTime),
    UniqueConstraint("entry_date", "entry_no", name="uq_ob_register_entry"),
)

HUB_TICKET_INDEX = Index("uq_ob_register_hub_ticket", ob_register.c.hub_ticket_id, unique=True)
"""One entry per hub ticket; entries taken at the counter have none (NULLs do not clash)."""

ADDED_COLUMNS = ("compl_email", "hub_ticket_id", "entered_at")
"""Columns of ``ob_register`` added since the first release, added to older databases
at start-up (:func:`legacy.police.seed.prepare_database`)."""

ob_action = Table(
    "ob_action",
    metadata,
    Column("action_id", Integer, primary_key=True, autoincrement=True),
    Column("ob_no", String(24), ForeignKey("ob_register.ob_no"), nullable=False),
    Column("action_at", DateTime, nullable=False),
    Column("ob_status", String(30)),
    Column("remarks", Text),
    Column("officer_svc_no", String(12), nullable=False),
)
"""What the staff did on an entry: its new status word (``NULL`` when only remarks
were written) and the remarks for the complainant."""

security_alert = Table(
    "security_alert",
    metadata,
    Column("alert_id", Integer, primary_key=True, autoincrement=True),
    Column("alert_area", String(80), nullable=False),
    Column("county", String(40)),
    Column("alert_level", String(10), nullable=False),
    Column("alert_title", String(160), nullable=False),
    Column("alert_msg", Text, nullable=False),
    Column("issued_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

recruitment_notice = Table(
    "recruitment_notice",
    metadata,
    Column("rec_id", Integer, primary_key=True, autoincrement=True),
    Column("rec_ref", String(30), nullable=False, unique=True),
    Column("post_title", String(160), nullable=False),
    Column("post_details", Text, nullable=False),
    Column("cadre", String(40), nullable=False),
    Column("duty_station", String(80), nullable=False),
    Column("no_of_posts", Integer, nullable=False),
    Column("job_grade", String(30)),
    Column("monthly_salary_kes", Integer),
    Column("open_date", Date, nullable=False),
    Column("close_date", Date, nullable=False),
)

public_notice = Table(
    "public_notice",
    metadata,
    Column("pn_id", Integer, primary_key=True, autoincrement=True),
    Column("pn_title", String(200), nullable=False),
    Column("pn_summary", String(400), nullable=False),
    Column("pn_body", Text, nullable=False),
    Column("pn_type", String(40), nullable=False),
    Column("published_at", DateTime, nullable=False),
)

service_catalogue = Table(
    "service_catalogue",
    metadata,
    Column("svc_code", String(10), primary_key=True),
    Column("svc_name", String(120), nullable=False),
    Column("svc_desc", Text, nullable=False),
    Column("svc_group", String(40), nullable=False),
    Column("fee_kes", Integer),
    Column("processing_days", Integer),
    Column("requirements", Text, nullable=False),
    Column("online_yn", String(1), nullable=False),
    Column("apply_url", String(200)),
    Column("last_updated", DateTime, nullable=False),
)

tender_notice = Table(
    "tender_notice",
    metadata,
    Column("tender_id", Integer, primary_key=True, autoincrement=True),
    Column("tender_no", String(40), nullable=False, unique=True),
    Column("tender_title", String(200), nullable=False),
    Column("tender_desc", Text, nullable=False),
    Column("proc_category", String(20), nullable=False),
    Column("tender_status", String(20), nullable=False),
    Column("advert_date", Date, nullable=False),
    Column("closing_at", DateTime, nullable=False),
    Column("est_value_kes", BigInteger),
)

REQUIREMENT_SEPARATOR = ";"
"""How ``service_catalogue.requirements`` separates the documents a service needs."""
