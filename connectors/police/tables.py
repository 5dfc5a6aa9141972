"""The Occurrence Book database's tables, as far as the connector reads them.

A mirror of the legacy system's own schema (its names, its types: naive local
times, whole shillings), kept here so the connector depends on the system's
published schema and not on any code of the stand-in. Only the columns the
connector reads are declared; personal columns it must not read are left out.

Filing a ticket writes some of those columns: :data:`ob_entry` declares the same
table with the columns an entry is written with, in a metadata of its own, and is
used only to insert entries and find them by ticket id.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

police_station = Table(
    "police_station",
    metadata,
    Column("stn_code", String(8), primary_key=True),
    Column("stn_name", String(80)),
    Column("county", String(40)),
    Column("sub_county", String(60)),
)

ob_register = Table(
    "ob_register",
    metadata,
    Column("ob_id", Integer, primary_key=True),
    Column("ob_no", String(24)),
    Column("stn_code", String(8)),
    Column("occ_nature", String(120)),
    Column("occ_category", String(40)),
    Column("reported_at", DateTime),
    Column("ob_status", String(30)),
    Column("compl_id_no", String(12)),
    Column("last_action_at", DateTime),
    Column("hub_ticket_id", String(64)),
)

ob_action = Table(
    "ob_action",
    metadata,
    Column("action_id", Integer, primary_key=True),
    Column("ob_no", String(24)),
    Column("action_at", DateTime),
    Column("ob_status", String(30)),
    Column("remarks", Text),
)

security_alert = Table(
    "security_alert",
    metadata,
    Column("alert_id", Integer, primary_key=True),
    Column("alert_area", String(80)),
    Column("county", String(40)),
    Column("alert_level", String(10)),
    Column("alert_title", String(160)),
    Column("alert_msg", Text),
    Column("issued_at", DateTime),
    Column("expires_at", DateTime),
)

recruitment_notice = Table(
    "recruitment_notice",
    metadata,
    Column("rec_id", Integer, primary_key=True),
    Column("rec_ref", String(30)),
    Column("post_title", String(160)),
    Column("post_details", Text),
    Column("cadre", String(40)),
    Column("duty_station", String(80)),
    Column("no_of_posts", Integer),
    Column("job_grade", String(30)),
    Column("monthly_salary_kes", Integer),
    Column("open_date", Date),
    Column("close_date", Date),
)

public_notice = Table(
    "public_notice",
    metadata,
    Column("pn_id", Integer, primary_key=True),
    Column("pn_title", String(200)),
    Column("pn_summary", String(400)),
    Column("pn_body", Text),
    Column("pn_type", String(40)),
    Column("published_at", DateTime),
)

service_catalogue = Table(
    "service_catalogue",
    metadata,
    Column("svc_code", String(10), primary_key=True),
    Column("svc_name", String(120)),
    Column("svc_desc", Text),
    Column("svc_group", String(40)),
    Column("fee_kes", Integer),
    Column("processing_days", Integer),
    Column("requirements", Text),
    Column("online_yn", String(1)),
    Column("apply_url", String(200)),
    Column("last_updated", DateTime),
)

tender_notice = Table(
    "tender_notice",
    metadata,
    Column("tender_id", Integer, primary_key=True),
    Column("tender_no", String(40)),
    Column("tender_title", String(200)),
    Column("tender_desc", Text),
    Column("proc_category", String(20)),
    Column("tender_status", String(20)),
    Column("advert_date", Date),
    Column("closing_at", DateTime),
    Column("est_value_kes", BigInteger),
)

REQUIREMENT_SEPARATOR = ";"
"""How ``service_catalogue.requirements`` separates the documents a service needs."""

filing_metadata = MetaData()

ob_entry = Table(
    "ob_register",
    filing_metadata,
    Column("ob_id", Integer, primary_key=True),
    Column("ob_no", String(24)),
    Column("entry_no", Integer),
    Column("entry_date", Date),
    Column("stn_code", String(8)),
    Column("occ_nature", String(120)),
    Column("occ_category", String(40)),
    Column("narrative", Text),
    Column("reported_at", DateTime),
    Column("ob_status", String(30)),
    Column("compl_name", String(80)),
    Column("compl_phone", String(20)),
    Column("compl_email", String(120)),
    Column("officer_svc_no", String(12)),
    Column("last_action_at", DateTime),
    Column("hub_ticket_id", String(64)),
    Column("entered_at", DateTime),
)
"""``ob_register`` as the hub writes an entry for a ticket."""
