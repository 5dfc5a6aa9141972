"""Every failure of the immigration API becomes the right hub error; settings are checked."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError

from connectors.immigration import ImmigrationConnector, ImmigrationSettings
from connectors.immigration.client import ImmigrationClient
from hub.connector import (
    Agency,
    AgencyBadResponse,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    Contact,
    HealthStatus,
    InvalidInput,
    NewsQuery,
    NotFound,
    ServiceQuery,
    VacancyQuery,
)
from hub.identity import AssertionSigner
from legacy import StandInOptions
from legacy.immigration import seed_applications
from legacy.running import RunningStandIn, running_standin
from tests.support.callers import resolver
from tests.support.connectors import open_with
from tests.support.keys import HubKeys

AGENCY = Agency(
    id="immigration",
    name="Department of Immigration Services",
    short_name="DIS",
    description="Passports, visas, permits and citizenship.",
    contact=Contact(),
)
BASE_URL = "http://immigration.test/api/v1"
TODAY = date(2026, 3, 10)
KNOWN = seed_applications(TODAY)[0].application_no
STAFF = resolver("immigration")
SIGNER = AssertionSigner(ec.generate_private_key(ec.SECP256R1()))
"""Signs the requests to the fake APIs below, which check no assertion."""


@pytest.fixture(scope="module")
def standin(hub_keys: HubKeys) -> Iterator[RunningStandIn]:
    options = StandInOptions(today=TODAY, hub_public_key=hub_keys.public_pem)
    with running_standin("immigration", options) as running:
        yield running


@pytest.fixture(autouse=True)
def healthy_again(standin: RunningStandIn) -> Iterator[None]:
    yield
    standin.reset_faults()


async def opened(
    settings: dict[str, Any],
    http: httpx.AsyncClient,
    assertions: AssertionSigner | None = SIGNER,
) -> ImmigrationConnector:
    return await open_with(ImmigrationConnector, AGENCY, settings, http, assertions)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
async def connector(
    standin: RunningStandIn, http: httpx.AsyncClient, hub_keys: HubKeys
) -> ImmigrationConnector:
    return await opened(standin.connector_settings, http, hub_keys.signer)


# ------------------------------------------------------------ the running stand-in


async def test_down_is_unavailable(
    standin: RunningStandIn, connector: ImmigrationConnector
) -> None:
    standin.set_faults(down=True)
    with pytest.raises(AgencyUnavailable, match=r"HTTP 503 SERVICE_UNAVAILABLE.*retry after 120"):
        await connector.services(ServiceQuery())
    with pytest.raises(AgencyUnavailable):
        await connector.health()


async def test_internal_errors_are_unavailable(
    standin: RunningStandIn, connector: ImmigrationConnector
) -> None:
    standin.set_faults(error_rate=1.0)
    with pytest.raises(AgencyUnavailable, match="HTTP 500") as caught:
        await connector.news(NewsQuery())
    assert caught.value.agency == "immigration"


async def test_slow_answer_is_a_timeout(standin: RunningStandIn) -> None:
    standin.set_faults(latency=0.5)
    async with httpx.AsyncClient(timeout=0.1) as http:
        connector = await opened(standin.connector_settings, http)
        with pytest.raises(AgencyTimeout):
            await connector.vacancies(VacancyQuery())


async def test_refused_connection_is_unavailable(http: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # open() must not contact the agency: a dead agency at start-up is only unhealthy
    connector = await opened({"base_url": f"http://127.0.0.1:{port}/api/v1", "api_key": "k"}, http)
    with pytest.raises(AgencyUnavailable, match="cannot reach"):
        await connector.health()


async def test_wrong_key_is_rejected(standin: RunningStandIn, http: httpx.AsyncClient) -> None:
    connector = await opened({**standin.connector_settings, "api_key": "stolen"}, http)
    with pytest.raises(AgencyRejected, match=r"API key was refused.*INVALID_API_KEY") as caught:
        await connector.services(ServiceQuery())
    assert "check api_key" in caught.value.reason


def api_client(standin: RunningStandIn, http: httpx.AsyncClient) -> ImmigrationClient:
    return ImmigrationClient(
        http,
        base_url=standin.connector_settings["base_url"],
        api_key=standin.options.api_key,
        page_size=100,
        agency="immigration",
    )


async def test_unknown_number_is_not_found(
    standin: RunningStandIn, http: httpx.AsyncClient, hub_keys: HubKeys
) -> None:
    client = api_client(standin, http)
    purpose = "immigration.passportApplication"
    sign = hub_keys.signer.for_requests(
        STAFF, audience="immigration", purpose=purpose, on_behalf_of={}
    )
    with pytest.raises(NotFound, match="PA2026-9999999"):
        await client.get("/passport-applications/PA2026-9999999", sign=sign)
    with pytest.raises(AgencyRejected, match="expected PA, the year"):
        await client.get("/passport-applications/PA26-1", sign=sign)


async def test_a_refused_assertion_is_rejected_with_the_apis_reason(
    standin: RunningStandIn, http: httpx.AsyncClient
) -> None:
    client = api_client(standin, http)
    with pytest.raises(AgencyRejected, match="refused the hub's assertion") as caught:
        await client.get(f"/passport-applications/{KNOWN}")
    assert "MISSING_ASSERTION" in caught.value.reason
    assert "HUB_ASSERTION_KEY_FILE" in caught.value.reason
    assert "API key" not in caught.value.reason
    untrusted = AssertionSigner(ec.generate_private_key(ec.SECP256R1()))
    connector = await opened(standin.connector_settings, http, untrusted)
    with pytest.raises(AgencyRejected, match=r"INVALID_ASSERTION.*signature does not verify"):
        await connector.passport_applications([KNOWN], STAFF)


async def test_an_api_without_the_hubs_key_rejects_personal_data(
    http: httpx.AsyncClient, hub_keys: HubKeys
) -> None:
    with running_standin("immigration", StandInOptions(today=TODAY)) as keyless:
        connector = await opened(keyless.connector_settings, http, hub_keys.signer)
        with pytest.raises(AgencyRejected, match=r"HUB_KEY_NOT_CONFIGURED.*started without"):
            await connector.passport_applications([KNOWN], STAFF)
        assert await connector.services(ServiceQuery(limit=1))


async def test_without_an_assertion_key_the_hub_asks_nothing() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http, assertions=None)
        with pytest.raises(AgencyRejected, match="the hub has no assertion key") as caught:
            await connector.passport_applications([KNOWN], STAFF)
        assert await connector.passport_applications([], STAFF) == {}
    assert caught.value.agency == "immigration"
    assert sent == []


@pytest.mark.parametrize(
    "number", ["", "PA2026-12345", "PA-2026-0012345", "passport", "PA20260012345"]
)
async def test_bad_number_is_invalid_input_before_any_call(number: str) -> None:
    requests: list[httpx.Request] = []

    def never(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(500)

    async with httpx.AsyncClient(transport=httpx.MockTransport(never)) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        with pytest.raises(InvalidInput, match="like PA2026-0012345") as caught:
            await connector.passport_applications(["PA2026-0012345", number], STAFF)
    assert caught.value.argument == "number"
    assert requests == []


async def test_calls_before_open_say_so() -> None:
    connector = ImmigrationConnector(
        AGENCY,
        ImmigrationSettings(base_url=BASE_URL, api_key="k"),
    )
    with pytest.raises(RuntimeError, match="not open"):
        await connector.services(ServiceQuery())


# ---------------------------------------------- answers a real server cannot produce


def page(data: Any, total_pages: int = 1) -> dict[str, Any]:
    return {
        "data": data,
        "pagination": {"page": 1, "per_page": 100, "total_pages": total_pages, "total_records": 1},
    }


SERVICE = {
    "service_code": "PP-ORD34",
    "name": "Ordinary passport (34 pages)",
    "category": "Passports",
    "description": "A passport.",
    "fee_kes": 4550,
    "processing_days": 10,
    "requirements": ["ID card"],
    "apply_online": True,
    "application_url": None,
    "last_updated": "01/03/2026",
}


def answering(respond: Callable[[], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: respond())


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (lambda: httpx.Response(200, text="<html>Gateway</html>"), "not JSON"),
        (lambda: httpx.Response(200, json=["not", "an", "envelope"]), "JSON object"),
        (lambda: httpx.Response(200, json={"data": []}), "'pagination' is missing"),
        (lambda: httpx.Response(200, json=page("many")), "list of JSON objects"),
        (lambda: httpx.Response(200, json=page([], total_pages=-1)), "total_pages"),
        (lambda: httpx.Response(200, json=page([{**SERVICE, "fee_kes": "4,550"}])), "fee_kes"),
        (
            lambda: httpx.Response(200, json=page([{**SERVICE, "last_updated": "2026-03-01"}])),
            "dd/mm/yyyy",
        ),
        (lambda: httpx.Response(200, json=page([{"service_code": "X"}])), "'name' is missing"),
        (lambda: httpx.Response(302, headers={"location": "/login"}), "unexpected HTTP 302"),
    ],
)
async def test_garbage_is_a_bad_response(
    response: Callable[[], httpx.Response], message: str
) -> None:
    async with httpx.AsyncClient(transport=answering(response)) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        with pytest.raises(AgencyBadResponse, match=message) as caught:
            await connector.services(ServiceQuery())
    assert caught.value.agency == "immigration"


def application(number: str, status: str = "BIOMETRICS CAPTURED") -> dict[str, Any]:
    return {
        "application_no": number,
        "applicant_id_no": "27106763",
        "applicant_name": "Nafula Nyaga",
        "passport_type": "ORDINARY 34 PAGES",
        "application_type": "NEW",
        "submitted_date": "01/03/2026",
        "status": status,
        "last_updated": "02/03/2026 10:15",
        "collection_centre": "Nyayo House, Nairobi",
        "remarks": None,
    }


async def test_an_unreadable_application_is_the_bad_response_of_its_number_alone() -> None:
    lost = application("PA2026-0012345", "LOST IN TRANSIT")
    body = json.dumps({"data": [lost, application("PA2026-0054321")], "not_found": []})
    transport = answering(lambda: httpx.Response(200, text=body))
    async with httpx.AsyncClient(transport=transport) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        found = await connector.passport_applications(["PA2026-0012345", "PA2026-0054321"], STAFF)
    error = found["PA2026-0012345"]
    assert isinstance(error, AgencyBadResponse)
    assert "unknown application status 'LOST IN TRANSIT'" in str(error)
    assert error.agency == "immigration"
    readable = found["PA2026-0054321"]
    assert not isinstance(readable, Exception)
    assert readable.status_text == "BIOMETRICS CAPTURED"


async def test_an_application_without_a_readable_number_fails_the_whole_answer() -> None:
    nameless = {**application("PA2026-0012345", "LOST IN TRANSIT"), "application_no": 12345}
    body = json.dumps({"data": [nameless, application("PA2026-0054321")], "not_found": []})
    transport = answering(lambda: httpx.Response(200, text=body))
    async with httpx.AsyncClient(transport=transport) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        with pytest.raises(AgencyBadResponse, match="unknown application status 'LOST IN TRANSIT'"):
            await connector.passport_applications(["PA2026-0012345", "PA2026-0054321"], STAFF)


async def test_proxy_error_page_is_unavailable() -> None:
    transport = answering(lambda: httpx.Response(502, text="<html>Bad Gateway</html>"))
    async with httpx.AsyncClient(transport=transport) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        with pytest.raises(AgencyUnavailable, match="HTTP 502 HTTP_502: Bad Gateway"):
            await connector.health()


# ------------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"page_size": 0}, "greater than or equal to 1"),
        ({"page_size": 101}, "less than or equal to 100"),
        ({"base_url": "ftp://immigration.test"}, "http\\(s\\) URL"),
        ({"api_key": ""}, "at least 1 item"),
        ({"timezone": "Africa/Atlantis"}, "unknown time zone"),
        ({"username": "hub"}, "Extra inputs are not permitted"),
    ],
)
def test_settings_are_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ImmigrationSettings(**{"base_url": BASE_URL, "api_key": "k", **changes})


def test_settings_defaults_and_secret() -> None:
    settings = ImmigrationSettings(base_url=BASE_URL + "/", api_key="very-secret")
    assert settings.base_url == BASE_URL
    assert settings.page_size == 100
    assert settings.timezone == "Africa/Nairobi"
    assert "very-secret" not in repr(settings)


async def test_health_reports_other_status_words_as_degraded() -> None:
    body = {"status": "MAINTENANCE", "service": "DIS Immigration Services API", "version": "3"}
    async with httpx.AsyncClient(
        transport=answering(lambda: httpx.Response(200, json=body))
    ) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        health = await connector.health()
    assert health.status is HealthStatus.DEGRADED
    assert "'MAINTENANCE'" in health.detail


async def test_health_answer_without_status_is_a_bad_response() -> None:
    async with httpx.AsyncClient(transport=answering(lambda: httpx.Response(200, json=[]))) as http:
        connector = await opened({"base_url": BASE_URL, "api_key": "k"}, http)
        with pytest.raises(AgencyBadResponse, match="JSON object"):
            await connector.health()
