"""Log lines in text or JSON, with the request id, and never a citizen's data or a secret."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.logs import configure_logging, field_kind, mask_text, mask_value
from hub.observability.request_id import using_request_id

log = logging.getLogger("hub.tests.logs")


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Where the hub's handler writes during the test; logging restored afterwards."""
    root, hub = logging.getLogger(), logging.getLogger("hub")
    handlers, levels = list(root.handlers), (root.level, hub.level)
    factory = logging.getLogRecordFactory()
    yield io.StringIO()
    logging.setLogRecordFactory(factory)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(levels[0])
    hub.setLevel(levels[1])


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def one_json_line(stream: io.StringIO) -> dict[str, Any]:
    (line,) = json_lines(stream)
    return line


# --- formats ---------------------------------------------------------------------------


def test_json_lines_carry_time_level_logger_message_and_extras(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info("ticket %s routed to %s", "T-1", "police", extra={"agency": "police", "n": 3})
    line = one_json_line(stream)
    assert line.pop("ts").endswith("Z")
    assert line == {
        "level": "INFO",
        "logger": "hub.tests.logs",
        "message": "ticket T-1 routed to police",
        "agency": "police",
        "n": 3,
    }


def test_the_json_timestamp_is_iso_8601_in_utc(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    before = datetime.now(UTC).replace(microsecond=0)
    log.info("now")
    ts = datetime.fromisoformat(one_json_line(stream)["ts"])
    assert ts.utcoffset() is not None
    assert ts.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert ts >= before


def test_json_lines_carry_the_current_request_id(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info("outside")
    with using_request_id("req-1"):
        log.info("inside")
    outside, inside = json_lines(stream)
    assert "request_id" not in outside
    assert inside["request_id"] == "req-1"


def test_an_explicit_request_id_wins(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    with using_request_id("current"):
        log.info("delivered", extra={"request_id": "of-the-ticket"})
    assert one_json_line(stream)["request_id"] == "of-the-ticket"


def test_extras_named_like_the_line_keys_do_not_overwrite_them(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info("m", extra={"level": "forged", "ts": 0, "logger": "x", "exc": "y"})
    line = one_json_line(stream)
    assert (line["level"], line["logger"]) == ("INFO", "hub.tests.logs")
    assert (line["extra_level"], line["extra_ts"], line["extra_logger"], line["extra_exc"]) == (
        "forged",
        0,
        "x",
        "y",
    )


def test_exceptions_go_in_exc(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    try:
        raise ValueError("bad input")
    except ValueError:
        log.exception("the call failed")
    line = one_json_line(stream)
    assert line["message"] == "the call failed"
    assert line["exc"].startswith("Traceback (most recent call last):")
    assert line["exc"].endswith("ValueError: bad input")


def test_values_json_cannot_hold_are_written_as_text(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    when = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
    log.info("m", extra={"when": when, "ids": {1, 2}, "pair": (1, "a")})
    line = one_json_line(stream)
    assert line["when"] == "2025-01-31 12:00:00+00:00"
    assert sorted(line["ids"]) == [1, 2]
    assert line["pair"] == [1, "a"]


def test_text_lines_show_the_request_id_only_when_there_is_one(stream: io.StringIO) -> None:
    configure_logging("INFO", stream=stream)
    log.info("outside")
    with using_request_id("req-9"):
        log.warning("inside")
    outside, inside = stream.getvalue().splitlines()
    assert re.fullmatch(r"\S+ \S+ INFO hub\.tests\.logs: outside", outside)
    assert re.fullmatch(r"\S+ \S+ WARNING hub\.tests\.logs \[req-9\]: inside", inside)


def test_records_below_the_level_are_dropped(stream: io.StringIO) -> None:
    configure_logging("warning", "json", stream=stream)
    log.info("quiet")
    log.warning("loud")
    assert [line["message"] for line in json_lines(stream)] == ["loud"]


def test_configuring_again_replaces_the_handler(stream: io.StringIO) -> None:
    configure_logging("INFO", "text", stream=stream)
    configure_logging("INFO", "json", stream=stream)
    log.info("once")
    assert one_json_line(stream)["message"] == "once"


@pytest.mark.parametrize(
    ("level", "fmt", "problem"),
    [
        ("LOUD", "text", "unknown log level 'LOUD'; use one of DEBUG, INFO"),
        ("INFO", "xml", "unknown log format 'xml'; use one of text, json"),
    ],
)
def test_unknown_levels_and_formats_are_refused(level: str, fmt: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        configure_logging(level, fmt)


# --- masking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("PIN A012345678Z is compliant", "PIN [pin A...78Z] is compliant"),
        ("company P051234567Q", "company [pin P...67Q]"),
        ("write to jane.doe@example.co.ke today", "write to [email j...@e....ke] today"),
        ("call +254 712 345 678", "call [phone ...678]"),
        ("call 0712345678.", "call [phone ...678]."),
        ("call +254712345678", "call [phone ...678]"),
        ("call 254 110-345-678", "call [phone ...678]"),
        ("abroad +44 20 7946 0958", "abroad [phone ...958]"),
        ("national_id=12345678 seen", "national_id=[national_id ...78] seen"),
        ('{"id_no": "23456789"}', '{"id_no": "[national_id ...89]"}'),
        ("applicant_name='Jane Wanjiku' filed", "applicant_name='[name J.W.]' filed"),
        ("/x?phone=0712345678&name=Jane", "/x?phone=[phone ...678]&name=[name J.]"),
        ("password=hunter2 token: abc", "password=[secret] token: [secret]"),
        ("{'client_secret': 's3cr3t'}", "{'client_secret': '[secret]'}"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: [secret]"),
        ("sent Bearer abc123", "sent Bearer [secret]"),
        ("assertion eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "assertion [secret]"),
    ],
)
def test_personal_data_and_secrets_in_text_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "agency revenue: its connector failed to open",
        "took 0.712345678 s at 2025-01-31T10:00:00Z",
        "ticket OB/123/2025 epoch 1714560000 port 8000",
        "request 0123456789abcdef0123456789abcdef",
        "GET http://127.0.0.1:8101/soap 200",
        "operationName=MyTaxStatus agency_name=KRA first=20",
        "the token expired; no password was given",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("name", "name"),
        ("full_name", "name"),
        ("applicantName", "name"),
        ("complainant", "name"),
        ("phone", "phone"),
        ("phone_number", "phone"),
        ("phones", "phone"),
        ("emails", "email"),
        ("status", None),
        ("msisdn", "phone"),
        ("email", "email"),
        ("contact-email", "email"),
        ("pin", "pin"),
        ("kra_pin", "pin"),
        ("national_id", "national_id"),
        ("nationalId", "national_id"),
        ("id_no", "national_id"),
        ("token", "secret"),
        ("access_token", "secret"),
        ("password", "secret"),
        ("Authorization", "secret"),
        ("assertion", "secret"),
        ("X-Api-Key", "secret"),
        ("agency_name", None),
        ("operationName", None),
        ("pinned", None),
        ("agency", None),
        ("id", None),
    ],
)
def test_field_names_say_what_they_hold(name: str, kind: str | None) -> None:
    assert field_kind(name) == kind


def test_extra_fields_are_masked_by_name_and_content(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info(
        "complaint filed",
        extra={
            "complainant": "Jane Wanjiku Doe",
            "applicant_name": "John Kamau",
            "phone": 254712345678,
            "email": "jane@example.com",
            "pin": "A012345678Z",
            "national_id": 12345678,
            "token": "eyJ.x.y",
            "authorization": "Bearer abc",
            "note": "call me on 0712345678",
            "agency": "police",
            "count": 2,
            "missing_phone": None,
        },
    )
    line = one_json_line(stream)
    assert line["complainant"] == "[name J.W.D.]"
    assert line["applicant_name"] == "[name J.K.]"
    assert line["phone"] == "[phone ...678]"
    assert line["email"] == "[email j...@e....com]"
    assert line["pin"] == "[pin A...78Z]"
    assert line["national_id"] == "[national_id ...78]"
    assert line["token"] == line["authorization"] == "[secret]"
    assert line["note"] == "call me on [phone ...678]"
    assert (line["agency"], line["count"], line["missing_phone"]) == ("police", 2, None)


def test_nested_extras_are_masked_by_their_keys(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    ticket = {"id": "T-1", "reporter": {"full_name": "Amina Otieno", "id_no": "22334455"}}
    log.info("ticket", extra={"ticket": ticket, "emails": ["a@b.co", "c@d.org"]})
    line = one_json_line(stream)
    assert line["ticket"] == {
        "id": "T-1",
        "reporter": {"full_name": "[name A.O.]", "id_no": "[national_id ...55]"},
    }
    assert line["emails"] == ["[email a...@b....co]", "[email c...@d....org]"]


def test_items_under_a_personal_key_are_masked_as_that_kind() -> None:
    masked = mask_value(
        {"applicant": {"first": "Jane", "last": "Doe", "phone": "0712345678"}, "pins": ["x"]}
    )
    assert masked == {
        "applicant": {"first": "[name J.]", "last": "[name D.]", "phone": "[phone ...678]"},
        "pins": ["[pin]"],
    }
    assert mask_value({"password": "a", "nested": ["b"]}, "credentials") == {
        "password": "[secret]",
        "nested": ["[secret]"],
    }


def test_arguments_are_masked_positional_and_by_key(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info("lookup of %s for %s", "A012345678Z", "jane@example.com")
    log.info("hello %(full_name)s on %(phone)s", {"full_name": "Jane Doe", "phone": "0712345678"})
    log.info("caller %s", {"name": "Jane Doe", "password": "x"})
    assert [line["message"] for line in json_lines(stream)] == [
        "lookup of [pin A...78Z] for [email j...@e....com]",
        "hello [name J.D.] on [phone ...678]",
        "caller {'name': '[name J.D.]', 'password': '[secret]'}",
    ]


def test_the_text_format_is_masked_too(stream: io.StringIO) -> None:
    configure_logging("INFO", "text", stream=stream)
    log.info("PIN %s, phone %s", "A012345678Z", "+254 712 345 678")
    output = stream.getvalue()
    assert "A012345678Z" not in output
    assert "712 345" not in output
    assert output.rstrip().endswith("PIN [pin A...78Z], phone [phone ...678]")


def test_other_handlers_get_masked_messages_too(
    stream: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("INFO", "json", stream=stream)
    with caplog.at_level(logging.INFO, logger=log.name):
        log.info("PIN %s", "A012345678Z")
    assert [record.getMessage() for record in caplog.records] == ["PIN [pin A...78Z]"]


def test_tracebacks_are_masked(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    try:
        raise LookupError("no taxpayer A012345678Z (jane@example.com)")
    except LookupError:
        log.exception("lookup failed")
    exc = one_json_line(stream)["exc"]
    assert exc.endswith("LookupError: no taxpayer [pin A...78Z] ([email j...@e....com])")


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class Revealing:
    def __str__(self) -> str:
        return "Citizen(pin=A012345678Z)"


@pytest.mark.parametrize(
    ("msg", "args", "message"),
    [
        ("count %d", ("many",), "count %d (arguments that did not fit the message: ('many',))"),
        ("%s and %s", ("one",), "%s and %s (arguments that did not fit the message: ('one',))"),
        ("x %s", (Unprintable(),), "x <unprintable Unprintable>"),
        ("x %(a)s", ({"b": 1},), "x %(a)s (arguments that did not fit the message: {'b': 1})"),
        ("obj %s", (Revealing(),), "obj Citizen(pin=[pin A...78Z])"),
        ("pct 100%", (), "pct 100%"),
    ],
)
def test_odd_arguments_never_crash_logging(
    stream: io.StringIO, msg: str, args: tuple[Any, ...], message: str
) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info(msg, *args)
    assert one_json_line(stream)["message"].startswith(message)


def test_uvicorn_access_lines_keep_their_arguments_for_its_own_formatter() -> None:
    from uvicorn.logging import AccessFormatter

    configure_logging("INFO", "text", stream=io.StringIO())
    record = logging.getLogRecordFactory()(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/?email=amina@example.org", "1.1", 200),
        None,
    )
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)
    assert line.startswith('127.0.0.1:5000 - "GET /?email=')
    assert "amina@example.org" not in line
    assert line.endswith(" 200 OK")


def test_an_unprintable_message_or_extra_is_logged_anyway(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=stream)
    log.info(Unprintable(), extra={"thing": Unprintable(), "who": Revealing()})
    line = one_json_line(stream)
    assert line["message"] == line["thing"] == "<unprintable Unprintable>"
    assert line["who"] == "Citizen(pin=[pin A...78Z])"


def test_mask_value_keeps_types_it_can() -> None:
    assert mask_value({"count": 3, "ok": True, "ratio": 0.5, "none": None}) == {
        "count": 3,
        "ok": True,
        "ratio": 0.5,
        "none": None,
    }
    assert mask_value(("A012345678Z", 1)) == ("[pin A...78Z]", 1)
    assert mask_value({1: "x"}) == {"1": "x"}


# --- properties ------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
pins = st.builds(
    lambda first, body, last: f"{first}{body}{last}",
    st.sampled_from("AP"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"),
)
phones = st.builds(
    lambda prefix, first, rest, sep: f"{prefix}{first}{rest[:2]}{sep}{rest[2:5]}{sep}{rest[5:]}",
    st.sampled_from(["0", "+254", "254", "+254 "]),
    st.sampled_from("17"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.sampled_from(["", " ", "-"]),
)
emails = st.emails()
words = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=30)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(before=words, secret=st.one_of(pins, phones, emails), after=words)
def test_personal_data_never_survives_masking(before: str, secret: str, after: str) -> None:
    masked = mask_text(f"{before} {secret} {after}")
    assert secret not in masked


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.text())
def test_masking_any_text_never_fails_and_is_stable(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once
