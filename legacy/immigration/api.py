"""The handlers of ``/api/v1``: health, services, news, vacancies, passport applications
(complaints are in :mod:`legacy.immigration.complaints_api`).

Passport applications are personal data: their requests must carry the hub's signed
assertion (:mod:`legacy.assertions`), or they are refused with 401 (none sent) or
403 (refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from legacy.assertions import ASSERTION_HEADER, AssertionRefused, AssertionVerifier, request_target
from legacy.immigration.applications import (
    APPLICATION_NUMBER,
    PassportApplication,
    seed_applications,
)
from legacy.immigration.catalogue import ServiceEntry, seed_services
from legacy.immigration.complaints import CaseRegister
from legacy.immigration.dates import format_datetime, local_now, parse_date
from legacy.immigration.errors import ApiError, bad_request
from legacy.immigration.notices import Notice, seed_notices
from legacy.immigration.paging import Page
from legacy.immigration.vacancies import CLOSED, OPEN, AdvertBoard, seed_adverts

SERVICE_NAME = "DIS Immigration Services API"
VERSION = "3.4.2"
MAX_BATCH = 100
"""The most application numbers one batch request may ask for."""

MISSING_ASSERTION = "MISSING_ASSERTION"
INVALID_ASSERTION = "INVALID_ASSERTION"
HUB_KEY_NOT_CONFIGURED = "HUB_KEY_NOT_CONFIGURED"

Record = TypeVar("Record")


@dataclass(frozen=True, slots=True)
class ImmigrationRecords:
    """Everything the stand-in knows, seeded around ``today``."""

    today: date
    services: tuple[ServiceEntry, ...]
    notices: tuple[Notice, ...]
    adverts: AdvertBoard
    """The job adverts; HR posts more at ``POST /_staff/vacancies``."""
    applications: dict[str, PassportApplication]
    cases: CaseRegister = field(default_factory=CaseRegister)
    """The complaints desk's cases; none at start."""

    @classmethod
    def seeded(cls, today: date) -> ImmigrationRecords:
        """The seed data anchored on ``today``."""
        return cls(
            today=today,
            services=seed_services(today),
            notices=seed_notices(today),
            adverts=AdvertBoard(seed_adverts(today)),
            applications={a.application_no: a for a in seed_applications(today)},
        )


class ImmigrationApi:
    """The routes of the API, answering from ``records``; ``assertions`` checks the
    hub's assertion on every request for personal data."""

    def __init__(self, records: ImmigrationRecords, assertions: AssertionVerifier) -> None:
        self.records = records
        self.assertions = assertions

    def routes(self) -> list[Route]:
        """The routes, relative to the ``/api/v1`` base path."""
        return [
            Route("/health", self.health, methods=["GET"]),
            Route("/services", self.services, methods=["GET"]),
            Route("/news", self.news, methods=["GET"]),
            Route("/vacancies", self.vacancies, methods=["GET"]),
            Route("/passport-applications", self.passport_applications, methods=["GET"]),
            Route(
                "/passport-applications/{application_no}",
                self.passport_application,
                methods=["GET"],
            ),
        ]

    async def health(self, request: Request) -> Response:
        """Whether the API is serving; needs no API key."""
        return JSONResponse(
            {
                "status": "OK",
                "service": SERVICE_NAME,
                "version": VERSION,
                "server_time": format_datetime(local_now()),
            }
        )

    async def services(self, request: Request) -> Response:
        """The service catalogue, filtered by ``q``, ``category`` and ``ids``."""
        page = Page.from_query(request.query_params)
        found = _filtered(
            self.records.services,
            request.query_params,
            code=lambda s: s.service_code,
            category=lambda s: s.category,
            text=lambda s: (s.name, s.description),
        )
        return JSONResponse(page.envelope([s.to_json() for s in found]))

    async def news(self, request: Request) -> Response:
        """Notices, newest first, filtered also by ``published_from``/``published_to``."""
        params = request.query_params
        page = Page.from_query(params)
        found = _filtered(
            self.records.notices,
            params,
            code=lambda n: n.notice_no,
            category=lambda n: n.category,
            text=lambda n: (n.title, n.summary, n.body),
        )
        published_from = _date_parameter(params, "published_from")
        published_to = _date_parameter(params, "published_to")
        found = [
            n
            for n in found
            if (published_from is None or n.published_at.date() >= published_from)
            and (published_to is None or n.published_at.date() <= published_to)
        ]
        return JSONResponse(page.envelope([n.to_json() for n in found]))

    async def vacancies(self, request: Request) -> Response:
        """Job adverts, newest first, filtered also by ``status`` (OPEN or CLOSED)."""
        params = request.query_params
        page = Page.from_query(params)
        today = self.records.today
        found = _filtered(
            self.records.adverts,
            params,
            code=lambda a: a.advert_no,
            category=lambda a: a.job_category,
            text=lambda a: (a.job_title, a.job_description, a.duty_station),
        )
        status = params.get("status")
        if status is not None:
            status = status.upper()
            if status not in (OPEN, CLOSED):
                raise bad_request(
                    "INVALID_PARAMETER", f"status must be {OPEN} or {CLOSED}, got {status!r}"
                )
            found = [a for a in found if a.status(today) == status]
        return JSONResponse(page.envelope([a.to_json(today) for a in found]))

    async def passport_application(self, request: Request) -> Response:
        """One application by its number."""
        await self._check_assertion(request)
        number = _application_number(request.path_params["application_no"])
        application = self.records.applications.get(number)
        if application is None:
            raise ApiError(
                404, "APPLICATION_NOT_FOUND", f"No passport application with number {number}."
            )
        return JSONResponse(application.to_json())

    async def passport_applications(self, request: Request) -> Response:
        """Several applications by number; the numbers not found are listed apart."""
        await self._check_assertion(request)
        numbers = request.query_params.getlist("application_no")
        if not numbers:
            raise bad_request(
                "MISSING_PARAMETER",
                "Give at least one application_no, e.g. ?application_no=PA2026-0012345.",
            )
        if len(numbers) > MAX_BATCH:
            raise bad_request(
                "TOO_MANY_APPLICATION_NUMBERS",
                f"At most {MAX_BATCH} application numbers per request, got {len(numbers)}.",
            )
        found, missing = [], []
        for number in dict.fromkeys(_application_number(n) for n in numbers):
            application = self.records.applications.get(number)
            if application is None:
                missing.append(number)
            else:
                found.append(application.to_json())
        return JSONResponse({"data": found, "not_found": missing})

    async def _check_assertion(self, request: Request) -> None:
        await require_assertion(self.assertions, request)


async def require_assertion(assertions: AssertionVerifier, request: Request) -> None:
    """Accept ``request`` only with the hub's valid assertion; raise the API's error."""
    try:
        assertions.verify(
            request.headers.get(ASSERTION_HEADER),
            method=request.method,
            target=request_target(request.scope),
            body=await request.body(),
        )
    except AssertionRefused as refused:
        raise assertion_error(refused) from None


def assertion_error(refused: AssertionRefused) -> ApiError:
    """The API's answer to a request for personal data whose assertion was refused."""
    if refused.missing:
        return ApiError(401, MISSING_ASSERTION, f"{refused.reason}.")
    if refused.unconfigured:
        return ApiError(403, HUB_KEY_NOT_CONFIGURED, f"{refused.reason}.")
    return ApiError(403, INVALID_ASSERTION, f"The hub's assertion was refused: {refused.reason}.")


def _filtered(
    records: Iterable[Record],
    params: QueryParams,
    *,
    code: Callable[[Record], str],
    category: Callable[[Record], str],
    text: Callable[[Record], Sequence[str]],
) -> list[Record]:
    """The records matching the ``ids``, ``category`` and ``q`` parameters."""
    ids = set(params.getlist("ids"))
    wanted_category = params.get("category", "").strip().casefold()
    words = params.get("q", "").casefold().split()
    found = []
    for record in records:
        if ids and code(record) not in ids:
            continue
        if wanted_category and category(record).casefold() != wanted_category:
            continue
        haystack = " ".join(text(record)).casefold()
        if all(word in haystack for word in words):
            found.append(record)
    return found


def _date_parameter(params: QueryParams, name: str) -> date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        raise bad_request(
            "INVALID_DATE", f"{name} must be a date as dd/mm/yyyy, got {raw!r}"
        ) from None


def _application_number(raw: str) -> str:
    if not APPLICATION_NUMBER.fullmatch(raw):
        raise bad_request(
            "INVALID_APPLICATION_NUMBER",
            f"{raw!r} is not an application number; expected PA, the year, a dash and "
            "seven digits, e.g. PA2026-0012345.",
        )
    return raw
