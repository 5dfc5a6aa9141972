"""Assemble the immigration stand-in: routes, API key and assertion checks, fault knobs,
error style."""

from __future__ import annotations

from datetime import date

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Scope

from legacy.assertions import AssertionVerifier
from legacy.faults import FaultsMiddleware, faults_routes
from legacy.immigration.advert_desk import advert_desk_routes
from legacy.immigration.api import ImmigrationApi, ImmigrationRecords
from legacy.immigration.auth import ApiKeyMiddleware
from legacy.immigration.complaints_api import ComplaintsApi, staff_routes
from legacy.immigration.errors import (
    ApiError,
    error_response,
    handle_api_error,
    handle_http_error,
    handle_unexpected_error,
)
from legacy.immigration.openapi import openapi_document
from legacy.serving import StandInOptions

BASE_PATH = "/api/v1"
AGENCY_ID = "immigration"
"""The audience of the hub's assertions to this API."""
RETRY_AFTER_SECONDS = 120


def create_app(options: StandInOptions) -> Starlette:
    """The immigration department's REST/JSON API, seeded around ``options.today``."""
    records = ImmigrationRecords.seeded(options.today or date.today())
    assertions = AssertionVerifier(AGENCY_ID, options.hub_public_key)
    api = ImmigrationApi(records, assertions)
    complaints = ComplaintsApi(records.cases, assertions)
    document = openapi_document()

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    return Starlette(
        routes=[
            *faults_routes(options.faults),
            *assertions.routes(),
            *staff_routes(records.cases),
            *advert_desk_routes(records.adverts, records.today),
            Route("/openapi.json", openapi, methods=["GET"]),
            Mount(BASE_PATH, routes=[*api.routes(), *complaints.routes()]),
        ],
        middleware=[
            Middleware(FaultsMiddleware, faults=options.faults, failure=failure_response),
            Middleware(
                ApiKeyMiddleware,
                api_key=options.api_key,
                protected_prefix=BASE_PATH + "/",
                public_paths={f"{BASE_PATH}/health"},
            ),
        ],
        exception_handlers={
            ApiError: handle_api_error,
            HTTPException: handle_http_error,
            Exception: handle_unexpected_error,
        },
    )


def failure_response(scope: Scope, down: bool) -> Response:
    """How the API fails: 503 with ``Retry-After`` when down, else a bare 500."""
    if down:
        return error_response(
            503,
            "SERVICE_UNAVAILABLE",
            "The immigration services API is down for maintenance. Please try again later.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return error_response(
        500, "INTERNAL_SERVER_ERROR", "An unexpected error occurred. Please try again later."
    )
