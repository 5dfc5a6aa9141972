"""The API's OpenAPI 3.1 document, served at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from legacy.immigration.api import MAX_BATCH, SERVICE_NAME, VERSION
from legacy.immigration.applications import PASSPORT_TYPES, STATUSES
from legacy.immigration.complaints import CASE_STATUSES, CASE_TYPES, PRIORITIES
from legacy.immigration.complaints_api import (
    COMPLAINANT_LIMITS,
    IDEMPOTENCY_HEADER,
    LIMITS,
    LOCATION_LIMITS,
)
from legacy.immigration.paging import DEFAULT_PER_PAGE, MAX_PER_PAGE
from legacy.immigration.vacancies import CLOSED, OPEN

JSON = "application/json"

DATE = {
    "type": "string",
    "pattern": r"^\d{2}/\d{2}/\d{4}$",
    "description": "A date as dd/mm/yyyy.",
    "examples": ["15/06/2026"],
}
DATE_TIME = {
    "type": "string",
    "pattern": r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$",
    "description": "A local (Africa/Nairobi) time as dd/mm/yyyy HH:MM.",
    "examples": ["15/06/2026 14:30"],
}
APPLICATION_NUMBER = {
    "type": "string",
    "pattern": r"^PA\d{4}-\d{7}$",
    "description": "PA, the year of submission, a dash and seven digits.",
    "examples": ["PA2026-0012345"],
}


INSTANT = {
    "type": "string",
    "format": "date-time",
    "description": "An ISO 8601 instant with its offset and microseconds (complaints).",
    "examples": ["2026-03-10T14:30:12.345678+03:00"],
}
CASE_NUMBER = {
    "type": "string",
    "pattern": r"^IMC-\d{4}-\d{6}$",
    "description": "IMC, the year the case was lodged, a dash and six digits.",
    "examples": ["IMC-2026-000123"],
}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": properties,
    }


def _text(description: str, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "description": description}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _page_of(item: str, description: str) -> dict[str, Any]:
    return _object(
        {
            "data": {"type": "array", "items": _ref("schemas", item)},
            "pagination": _ref("schemas", "Pagination"),
        },
        description,
    )


def _list_operation(
    operation_id: str, summary: str, page: str, extra: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    filters = ["Page", "PerPage", "Query", "Category", "Ids"]
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [_ref("parameters", name) for name in filters] + (extra or []),
            "responses": {
                "200": _json(_ref("schemas", page), "One page of the matching records."),
                **_ERRORS,
            },
        }
    }


_ERRORS = {
    "400": _ref("responses", "BadRequest"),
    "401": _ref("responses", "Unauthorized"),
    "500": _ref("responses", "InternalError"),
    "503": _ref("responses", "ServiceUnavailable"),
}
_UNPROTECTED_ERRORS = {k: v for k, v in _ERRORS.items() if k in ("500", "503")}
_PERSONAL_ERRORS = {**_ERRORS, "403": _ref("responses", "Forbidden")}
_PERSONAL_SECURITY: list[dict[str, list[str]]] = [{"ApiKey": [], "HubAssertion": []}]
"""Personal data needs the API key and the hub's signed assertion of who asks."""

_SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": _text("A stable code, e.g. INVALID_API_KEY."),
                    "message": _text("What went wrong, in English."),
                },
                "The error.",
            )
        },
        "The body of every error answer.",
    ),
    "Pagination": _object(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total_pages": {"type": "integer", "minimum": 0},
            "total_records": {"type": "integer", "minimum": 0},
        },
        "Where this page lies among all matching records.",
    ),
    "Health": _object(
        {
            "status": {"type": "string", "enum": ["OK"]},
            "service": _text("The name of the API."),
            "version": _text("The version of the API."),
            "server_time": DATE_TIME,
        },
        "The answer of the health probe.",
    ),
    "Service": _object(
        {
            "service_code": _text("The service's code, e.g. PP-ORD34."),
            "name": _text("The service's name."),
            "category": _text("Passports, Visas, Work Permits, Residence, ..."),
            "description": _text("What the service is."),
            "fee_kes": {"type": "integer", "minimum": 0, "description": "Fee in KES."},
            "processing_days": {"type": "integer", "minimum": 0},
            "requirements": {"type": "array", "items": {"type": "string"}},
            "apply_online": {"type": "boolean"},
            "application_url": _text("Where to apply online; null if not online.", True),
            "last_updated": DATE,
        },
        "A service of the department.",
    ),
    "Notice": _object(
        {
            "notice_no": _text("The notice's number, e.g. DIS-PR-2026-014."),
            "title": _text("Headline."),
            "category": {"type": "string", "enum": ["Press Release", "Public Notice", "Advisory"]},
            "summary": _text("One-sentence summary."),
            "body": _text("Full text; paragraphs separated by blank lines."),
            "published_at": DATE_TIME,
            "url": _text("The notice on the department's website."),
        },
        "A press release, public notice or advisory.",
    ),
    "Vacancy": _object(
        {
            "advert_no": _text("The advert's number, e.g. DIS-HR-2026-003."),
            "job_title": _text("The position."),
            "job_category": _text("Immigration Services, Information Technology, ..."),
            "job_description": _text("Duties of the position."),
            "duty_station": _text("Where the job is."),
            "no_of_posts": {"type": "integer", "minimum": 1},
            "grade": _text("Civil service grade, e.g. CSG 10."),
            "monthly_basic_salary_kes": {"type": "integer", "minimum": 0},
            "opening_date": DATE,
            "closing_date": {**DATE, "description": "Last day to apply (dd/mm/yyyy)."},
            "status": {"type": "string", "enum": [OPEN, CLOSED]},
            "advert_url": _text("The advert on the careers page."),
        },
        "A job advert.",
    ),
    "PassportApplication": _object(
        {
            "application_no": APPLICATION_NUMBER,
            "applicant_id_no": _text("The applicant's national ID number."),
            "applicant_name": _text("The applicant's full name."),
            "passport_type": {"type": "string", "enum": list(PASSPORT_TYPES)},
            "application_type": {"type": "string", "enum": ["NEW", "RENEWAL", "REPLACEMENT"]},
            "submitted_date": DATE,
            "status": {"type": "string", "enum": list(STATUSES)},
            "last_updated": DATE_TIME,
            "collection_centre": _text("Where the passport is collected."),
            "remarks": _text("Why the application was rejected; null otherwise.", True),
        },
        "A passport application and where it stands.",
    ),
    "ComplaintForm": {
        "type": "object",
        "description": "A case to lodge. Unknown fields are refused.",
        "required": ["case_type", "category", "priority", "subject", "details", "submitted_at"],
        "additionalProperties": False,
        "properties": {
            "hub_reference": {
                **_text("The sender's own reference, e.g. a tracking number.", True),
                "maxLength": LIMITS["hub_reference"],
            },
            "case_type": {"type": "string", "enum": list(CASE_TYPES)},
            "category": {**_text("The sender's category."), "maxLength": LIMITS["category"]},
            "priority": {"type": "string", "enum": list(PRIORITIES)},
            "subject": {**_text("One line."), "maxLength": LIMITS["subject"]},
            "details": {**_text("What happened or is asked."), "maxLength": LIMITS["details"]},
            "submitted_at": {**INSTANT, "description": "When the citizen wrote it."},
            "location": _ref("schemas", "ComplaintLocation"),
            "complainant": _ref("schemas", "Complainant"),
        },
    },
    "ComplaintLocation": {
        "type": ["object", "null"],
        "description": "Where it happened; every field may be null.",
        "properties": {
            "area": {**_text("Town or county.", True), "maxLength": LOCATION_LIMITS["area"]},
            "address": {**_text("Street address.", True), "maxLength": LOCATION_LIMITS["address"]},
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        },
    },
    "Complainant": {
        "type": ["object", "null"],
        "description": "How to reach the complainant; every field may be null.",
        "properties": {
            "name": {**_text("Full name.", True), "maxLength": COMPLAINANT_LIMITS["name"]},
            "phone": {**_text("Phone number.", True), "maxLength": COMPLAINANT_LIMITS["phone"]},
            "email": {**_text("E-mail address.", True), "maxLength": COMPLAINANT_LIMITS["email"]},
        },
    },
    "ComplaintUpdate": _object(
        {
            "case_no": CASE_NUMBER,
            "status": {
                "type": ["string", "null"],
                "enum": [*CASE_STATUSES, None],
                "description": "The case's new status; null when only remarks were added.",
            },
            "remarks": _text("What the officer tells the complainant.", True),
            "officer": _text("Who moved the case."),
            "updated_at": INSTANT,
        },
        "One move of a case by an officer.",
    ),
    "ComplaintStatus": _object(
        {
            "case_no": CASE_NUMBER,
            "hub_reference": _text("The sender's own reference.", True),
            "case_type": {"type": "string", "enum": list(CASE_TYPES)},
            "category": _text("The sender's category."),
            "priority": {"type": "string", "enum": list(PRIORITIES)},
            "subject": _text("One line."),
            "status": {"type": "string", "enum": list(CASE_STATUSES)},
            "received_at": INSTANT,
            "last_updated": INSTANT,
            "updates": {"type": "array", "items": _ref("schemas", "ComplaintUpdate")},
        },
        "A case and its updates, oldest first, without the complainant's details.",
    ),
    "Complaint": {
        "type": "object",
        "description": "A whole case, as answered to the one who lodged it.",
        "allOf": [_ref("schemas", "ComplaintStatus")],
        "required": ["details", "submitted_at", "location", "complainant"],
        "properties": {
            "details": _text("What happened or is asked."),
            "submitted_at": INSTANT,
            "location": _ref("schemas", "ComplaintLocation"),
            "complainant": _ref("schemas", "Complainant"),
        },
    },
    "ComplaintUpdatePage": _page_of("ComplaintUpdate", "A page of updates, oldest first."),
    "ServicePage": _page_of("Service", "A page of services."),
    "NoticePage": _page_of("Notice", "A page of notices, newest first."),
    "VacancyPage": _page_of("Vacancy", "A page of job adverts, newest first."),
    "PassportApplicationBatch": _object(
        {
            "data": {"type": "array", "items": _ref("schemas", "PassportApplication")},
            "not_found": {"type": "array", "items": APPLICATION_NUMBER},
        },
        "The applications found, and the numbers the system does not know.",
    ),
}

_PARAMETERS: dict[str, Any] = {
    "Page": {
        "name": "page",
        "in": "query",
        "description": "The page to return, from 1.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    "PerPage": {
        "name": "per_page",
        "in": "query",
        "description": "Records per page.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PER_PAGE,
            "default": DEFAULT_PER_PAGE,
        },
    },
    "Query": {
        "name": "q",
        "in": "query",
        "description": "Words that must all appear in the record's text (case-insensitive).",
        "schema": {"type": "string"},
    },
    "Category": {
        "name": "category",
        "in": "query",
        "description": "Only records of this category (case-insensitive).",
        "schema": {"type": "string"},
    },
    "IdempotencyKey": {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": True,
        "description": "The sender's own id of the case (1 to 64 visible ASCII characters). "
        "A repeated key answers the case lodged first, with 200, and lodges nothing.",
        "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,64}$"},
    },
    "Ids": {
        "name": "ids",
        "in": "query",
        "description": "Only the records with these codes; repeat the parameter for each.",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
}

_RESPONSES: dict[str, Any] = {
    "BadRequest": _json(_ref("schemas", "Error"), "A parameter is missing or malformed."),
    "Unauthorized": _json(
        _ref("schemas", "Error"),
        "The X-API-Key header is missing or wrong, or (personal data) the X-Hub-Assertion "
        "header is missing.",
    ),
    "Forbidden": _json(
        _ref("schemas", "Error"),
        "The hub's assertion was refused (INVALID_ASSERTION: bad signature, expired, "
        "addressed to another agency or made for another request), or the system was started "
        "without the hub's public key (HUB_KEY_NOT_CONFIGURED).",
    ),
    "NotFound": _json(_ref("schemas", "Error"), "No record has this number."),
    "InternalError": _json(_ref("schemas", "Error"), "The system failed."),
    "ServiceUnavailable": {
        **_json(_ref("schemas", "Error"), "The system is down for maintenance."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        },
    },
}

_PATHS: dict[str, Any] = {
    "/openapi.json": {
        "servers": [{"url": "/"}],
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document.",
            "security": [],
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
        },
    },
    "/health": {
        "get": {
            "operationId": "getHealth",
            "summary": "Health probe; needs no API key.",
            "security": [],
            "responses": {
                "200": _json(_ref("schemas", "Health"), "The API is serving."),
                **_UNPROTECTED_ERRORS,
            },
        }
    },
    "/services": _list_operation("listServices", "The service catalogue.", "ServicePage"),
    "/news": _list_operation(
        "listNews",
        "Press releases, public notices and advisories, newest first.",
        "NoticePage",
        [
            {
                "name": name,
                "in": "query",
                "description": f"Only notices published {when} this day (inclusive).",
                "schema": DATE,
            }
            for name, when in (("published_from", "on or after"), ("published_to", "up to"))
        ],
    ),
    "/vacancies": _list_operation(
        "listVacancies",
        "Job adverts, newest first.",
        "VacancyPage",
        [
            {
                "name": "status",
                "in": "query",
                "description": "Only adverts open (or closed) today.",
                "schema": {"type": "string", "enum": [OPEN, CLOSED]},
            }
        ],
    ),
    "/complaints": {
        "post": {
            "operationId": "lodgeComplaint",
            "summary": "Lodge a complaint, enquiry, compliment, report or service request.",
            "security": _PERSONAL_SECURITY,
            "parameters": [_ref("parameters", "IdempotencyKey")],
            "requestBody": {
                "required": True,
                "content": {JSON: {"schema": _ref("schemas", "ComplaintForm")}},
            },
            "responses": {
                "201": _json(_ref("schemas", "Complaint"), "The case, lodged now."),
                "200": _json(
                    _ref("schemas", "Complaint"),
                    "The case lodged before with this Idempotency-Key; nothing was lodged.",
                ),
                **_PERSONAL_ERRORS,
            },
        },
    },
    "/complaints/updates": {
        "get": {
            "operationId": "listComplaintUpdates",
            "summary": "The officers' updates of cases made after a moment, oldest first.",
            "description": "One feed across cases: every update is stamped strictly later "
            "than the one before, so reading it page by page misses none.",
            "parameters": [
                _ref("parameters", "Page"),
                _ref("parameters", "PerPage"),
                {
                    "name": "updated_after",
                    "in": "query",
                    "description": "Only updates made after this instant (without an offset: "
                    "Nairobi time); every update when absent.",
                    "schema": INSTANT,
                },
            ],
            "responses": {
                "200": _json(_ref("schemas", "ComplaintUpdatePage"), "One page of updates."),
                **_ERRORS,
            },
        },
    },
    "/passport-applications": {
        "get": {
            "operationId": "getPassportApplications",
            "summary": "Several passport applications by number.",
            "security": _PERSONAL_SECURITY,
            "parameters": [
                {
                    "name": "application_no",
                    "in": "query",
                    "required": True,
                    "description": f"An application number; repeat for up to {MAX_BATCH}.",
                    "schema": {
                        "type": "array",
                        "items": APPLICATION_NUMBER,
                        "minItems": 1,
                        "maxItems": MAX_BATCH,
                    },
                    "style": "form",
                    "explode": True,
                }
            ],
            "responses": {
                "200": _json(
                    _ref("schemas", "PassportApplicationBatch"),
                    "The applications found and the numbers not found.",
                ),
                **_PERSONAL_ERRORS,
            },
        }
    },
    "/passport-applications/{application_no}": {
        "get": {
            "operationId": "getPassportApplication",
            "summary": "One passport application by number.",
            "security": _PERSONAL_SECURITY,
            "parameters": [
                {
                    "name": "application_no",
                    "in": "path",
                    "required": True,
                    "description": "The application number.",
                    "schema": APPLICATION_NUMBER,
                }
            ],
            "responses": {
                "200": _json(_ref("schemas", "PassportApplication"), "The application."),
                "404": _ref("responses", "NotFound"),
                **_PERSONAL_ERRORS,
            },
        }
    },
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of every path, parameter, header and schema."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": SERVICE_NAME,
            "version": VERSION,
            "description": "Services, news, vacancies, passport application status and the "
            "complaints desk of the Department of Immigration Services. Dates are dd/mm/yyyy; "
            "times are Africa/Nairobi wall-clock times as dd/mm/yyyy HH:MM, except in "
            "complaints, whose instants are ISO 8601 with offset and microseconds.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"ApiKey": []}],
        "paths": _PATHS,
        "components": {
            "schemas": _SCHEMAS,
            "parameters": _PARAMETERS,
            "responses": _RESPONSES,
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "HubAssertion": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Hub-Assertion",
                    "description": "The hub's ES256-signed JSON Web Token of who asks for "
                    "personal data: iss citizen-hub, aud immigration, sub, purpose, jti, "
                    "exp, and req, the base64url SHA-256 of 'METHOD path?query\\n' and the "
                    "body of the request it travels with.",
                },
            },
        },
    }
