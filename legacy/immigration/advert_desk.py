"""The HR office's desk: ``POST /_staff/vacancies`` posts a job advert, or amends one.

Outside the API (no API key, no fault knobs), like the complaints officers' desk: tests
and demos use it to publish a vacancy as the department's staff do. The body holds the
advert's fields as the API lists them::

    {"job_title": "Immigration Officer II", "job_category": "Immigration Services",
     "job_description": "...", "duty_station": "Malaba", "no_of_posts": 8,
     "grade": "CSG 9", "monthly_basic_salary_kes": 48060,
     "opening_date": "01/07/2026", "closing_date": "22/07/2026"}

Without ``advert_no`` the advert gets the next number of its opening year and the
answer is 201; with the number of an advert on the board it replaces that advert (an
amendment) and the answer is 200. A bad body is a 400 in the API's error style.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from legacy.faults import STAFF_PREFIX
from legacy.immigration.dates import parse_date
from legacy.immigration.errors import bad_request
from legacy.immigration.vacancies import ADVERT_NUMBER, Advert, AdvertBoard

ADVERTS_PATH = f"{STAFF_PREFIX}vacancies"

TEXT_LIMITS = {
    "job_title": 160,
    "job_category": 60,
    "job_description": 5000,
    "duty_station": 80,
    "grade": 20,
}
FIELDS = frozenset(
    {
        "advert_no",
        *TEXT_LIMITS,
        "no_of_posts",
        "monthly_basic_salary_kes",
        "opening_date",
        "closing_date",
    }
)
MOST_POSTS = 10_000


def advert_desk_routes(board: AdvertBoard, today: date) -> list[Route]:
    """``POST /_staff/vacancies`` over ``board``; adverts are shown as on ``today``."""

    async def post(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise bad_request("INVALID_BODY", "The request body must be a JSON object.")
        advert = advert_from(body, board)
        new = board.post(advert)
        return JSONResponse(advert.to_json(today), status_code=201 if new else 200)

    return [Route(ADVERTS_PATH, post, methods=["POST"])]


def advert_from(body: Mapping[str, Any], board: AdvertBoard) -> Advert:
    """The advert ``body`` describes; a 400 :class:`ApiError` saying what is wrong."""
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise bad_request(
            "UNKNOWN_FIELD", f"Unknown fields {unknown}; the fields are {sorted(FIELDS)}."
        )
    texts = {name: _text(body, name, limit) for name, limit in TEXT_LIMITS.items()}
    opening = _date(body, "opening_date")
    closing = _date(body, "closing_date")
    if closing < opening:
        raise bad_request("INVALID_FIELD", "closing_date may not be before opening_date")
    number = body.get("advert_no")
    if number is None:
        number = board.next_number(opening)
    elif not isinstance(number, str) or not ADVERT_NUMBER.fullmatch(number):
        raise bad_request(
            "INVALID_FIELD",
            f"advert_no must look like DIS-HR-2026-021 (leave it out for a new advert), "
            f"got {number!r}",
        )
    return Advert(
        advert_no=number,
        job_title=texts["job_title"],
        job_category=texts["job_category"],
        job_description=texts["job_description"],
        duty_station=texts["duty_station"],
        no_of_posts=_whole(body, "no_of_posts", 1, MOST_POSTS),
        grade=texts["grade"],
        monthly_basic_salary_kes=_whole(body, "monthly_basic_salary_kes", 0, 10_000_000),
        opening_date=opening,
        closing_date=closing,
    )


def _text(body: Mapping[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise bad_request("MISSING_FIELD", f"{name} is required text and may not be empty")
    value = value.strip()
    if len(value) > limit:
        raise bad_request(
            "FIELD_TOO_LONG", f"{name} holds at most {limit} characters, got {len(value)}"
        )
    return value


def _whole(body: Mapping[str, Any], name: str, least: int, most: int) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise bad_request(
            "INVALID_FIELD", f"{name} must be a whole number from {least} to {most}, got {value!r}"
        )
    return value


def _date(body: Mapping[str, Any], name: str) -> date:
    value = body.get(name)
    try:
        if not isinstance(value, str):
            raise ValueError(name)
        return parse_date(value)
    except ValueError:
        raise bad_request(
            "INVALID_FIELD", f"{name} must be a date as dd/mm/yyyy, got {value!r}"
        ) from None


__all__ = ["ADVERTS_PATH", "advert_desk_routes", "advert_from"]
