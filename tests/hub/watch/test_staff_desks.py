"""The stand-ins' staff desks the watchers' tests use: immigration's HR office posts and
amends adverts the API then lists; the police duty officer issues alerts the connector
reads as in force."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from connectors.police import PoliceConnector
from hub.connector import Agency, AlertLevel, Contact
from legacy.police import ALERT_LEVELS, issue_alert
from legacy.running import RunningStandIn
from tests.hub.watch.watching import NAIROBI, advert, local_today, post_advert
from tests.support.connectors import open_with

AGENCY = Agency(
    id="police",
    name="National Police Service",
    short_name="NPS",
    description="The police.",
    contact=Contact(),
)


async def listed(standin: RunningStandIn, number: str) -> list[dict[str, Any]]:
    """The API's adverts with ``number``, read as the connector reads them."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{standin.url}/api/v1/vacancies",
            params={"ids": number},
            headers={"X-API-Key": standin.options.api_key},
        )
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def test_hr_posts_an_advert_with_the_next_number_and_amends_it(
    watched_standins: dict[str, RunningStandIn],
) -> None:
    immigration = watched_standins["immigration"]
    title = f"Forensic Document Examiner {uuid.uuid4().hex[:6]}"
    posted = await post_advert(immigration, advert(title))
    assert posted.status_code == 201, posted.text
    number = posted.json()["advert_no"]
    assert number.startswith(f"DIS-HR-{local_today().year}-")
    assert await listed(immigration, number) == [posted.json()]
    assert posted.json()["status"] == "OPEN"

    amended = await post_advert(immigration, advert(title, advert_no=number, no_of_posts=2))
    assert amended.status_code == 200, amended.text
    [shown] = await listed(immigration, number)
    assert shown["no_of_posts"] == 2

    other = await post_advert(immigration, advert(title))
    assert other.json()["advert_no"] != number


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"job_title": ""}, "MISSING_FIELD", "job_title is required"),
        ({"grade": "x" * 21}, "FIELD_TOO_LONG", "grade holds at most 20"),
        ({"no_of_posts": 0}, "INVALID_FIELD", "no_of_posts must be a whole number from 1"),
        ({"no_of_posts": True}, "INVALID_FIELD", "no_of_posts must be a whole number"),
        ({"opening_date": "2026-07-01"}, "INVALID_FIELD", "opening_date must be a date as dd/mm"),
        ({"closing_date": "01/01/2000"}, "INVALID_FIELD", "closing_date may not be before"),
        ({"advert_no": "JOB-1"}, "INVALID_FIELD", "advert_no must look like DIS-HR-2026-021"),
        ({"salary": 1}, "UNKNOWN_FIELD", "Unknown fields ['salary']"),
    ],
)
async def test_a_bad_advert_is_refused_and_posts_nothing(
    watched_standins: dict[str, RunningStandIn], changes: dict[str, Any], code: str, words: str
) -> None:
    immigration = watched_standins["immigration"]
    title = f"Refused {uuid.uuid4().hex[:6]}"
    response = await post_advert(immigration, advert(title, **changes))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert words in error["message"]
    async with httpx.AsyncClient(timeout=10) as client:
        everything = await client.get(
            f"{immigration.url}/api/v1/vacancies",
            params={"q": title, "page_size": 100},
            headers={"X-API-Key": immigration.options.api_key},
        )
    assert everything.json()["data"] == []


async def test_the_duty_officer_issues_an_alert_the_connector_reads_while_in_force(
    watched_standins: dict[str, RunningStandIn],
) -> None:
    police = watched_standins["police"]
    now = datetime.now(NAIROBI)
    tomorrow = await issue_alert(
        police.options.database_url,
        area="Countrywide",
        county=None,
        level="CRITICAL",
        title="Not yet",
        message="Issued for tomorrow.",
        issued_at=now + timedelta(days=1),
    )
    today = await issue_alert(
        police.options.database_url,
        area="Eldoret Town",
        county="Uasin Gishu",
        level="ADVISORY",
        title="Market day traffic",
        message="Expect delays on Uganda Road.",
        expires_at=now + timedelta(hours=2),
    )

    async with httpx.AsyncClient() as http:
        connector = await open_with(PoliceConnector, AGENCY, police.connector_settings, http)
        try:
            in_force = await connector.alerts_in_force()
            by_area = await connector.security_alerts(["Uasin Gishu"])
        finally:
            await connector.close()

    ids = [alert.id for alert in in_force]
    assert str(today) in ids
    assert str(tomorrow) not in ids
    [issued] = [alert for alert in in_force if alert.id == str(today)]
    assert (issued.area, issued.county, issued.level) == (
        "Eldoret Town",
        "Uasin Gishu",
        AlertLevel.ADVISORY,
    )
    assert issued.expires_at is not None
    assert issued.issued_at < issued.expires_at
    assert issued in by_area["Uasin Gishu"]
    assert [alert.issued_at for alert in in_force] == sorted(
        (alert.issued_at for alert in in_force), reverse=True
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"level": "SEVERE"}, "unknown alert level 'SEVERE'"),
        ({"title": "  "}, "needs an area, a title and a message"),
        ({"expires_at": datetime(2000, 1, 1)}, "would expire"),
    ],
)
async def test_a_bad_alert_is_refused(
    watched_standins: dict[str, RunningStandIn], bad: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {
        "area": "Eldoret",
        "county": "Uasin Gishu",
        "level": "ADVISORY",
        "title": "Bad",
        "message": "Bad",
        **bad,
    }
    with pytest.raises(ValueError, match=message):
        await issue_alert(watched_standins["police"].options.database_url, **fields)


def test_the_officers_alert_levels_are_the_contracts() -> None:
    assert tuple(level.value for level in AlertLevel) == ALERT_LEVELS
