"""Attachments through the real hub over HTTP: files sent with submitTicket as a GraphQL
multipart request, kept beside the hub's database, downloaded by those who see the
ticket's personal data; every bad request refused with nothing kept."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from hub.identity import Role
from legacy.running import RunningStandIn
from tests.support.hub import RunningHub, running_hub
from tests.support.tokens import bearer

MAX_BYTES = 64 * 1024
PER_TICKET = 3
GQL = "application/graphql-response+json"
PREFLIGHT = {"graphql-require-preflight": "1"}
POLICE = bearer("officer-police", Role.RESOLVER, agency="police")
REVENUE = bearer("officer-revenue", Role.RESOLVER, agency="revenue")
ADMIN = bearer("ops", Role.ADMIN)
NOBODY: dict[str, str] = {}

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(2048)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"

ATTACHMENTS = "attachments { id filename contentType sizeBytes sha256 createdAt downloadPath }"
SUBMIT = f"""
mutation Submit($input: SubmitTicketInput!) {{
  submitTicket(input: $input) {{ ticket {{ trackingNumber title {ATTACHMENTS} }} }}
}}
"""
FOLLOW = f"""
query Follow($n: String!) {{ ticket(trackingNumber: $n) {{ personalDataVisible {ATTACHMENTS} }} }}
"""
MINE = "query { myTickets { totalCount } }"
DOWNLOADS = """
query Downloads($id: String!) {
  auditLog(first: 50, filter: { objectId: $id, field: "attachment" }) {
    edges { node { subject role agency outcome operation } }
  }
}
"""

Upload = tuple[str, bytes, str | None]
"""A file as the client sends it: its name, its bytes and the type it declares."""


@dataclass
class AttachmentsHub:
    """The hub under test, and the folder and database it keeps attachments in."""

    hub: RunningHub
    folder: Path
    database: Path

    def files(self) -> list[Path]:
        """Every file in the attachments folder, half-written ones included."""
        return sorted(p for p in self.folder.rglob("*") if p.is_file())

    def rows(self) -> int:
        with sqlite3.connect(self.database) as connection:
            (count,) = connection.execute("SELECT count(*) FROM ticket_attachments").fetchone()
        return int(count)


@pytest.fixture(scope="module")
def kept(
    standins: dict[str, RunningStandIn], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AttachmentsHub]:
    """A hub keeping at most 3 files of at most 64 KiB per ticket, in the default folder:
    ``attachments`` beside its SQLite database."""
    directory = tmp_path_factory.mktemp("attachments-hub")
    with running_hub(
        directory, standins, attachment_max_bytes=MAX_BYTES, attachments_per_ticket=PER_TICKET
    ) as running:
        yield AttachmentsHub(running, directory / "attachments", directory / "hub.db")


def theft(**changes: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "kind": "REPORT",
        "title": "My phone was stolen",
        "description": "Theft at the Kencom bus stop this morning; photo and police form.",
        "idempotencyKey": str(uuid.uuid4()),
    }
    return ticket | changes


def citizen() -> dict[str, str]:
    return bearer(f"citizen-{uuid.uuid4().hex[:10]}")


def send(
    hub: RunningHub,
    operations: Any,
    mapping: Any,
    parts: list[tuple[str, Upload]],
    who: dict[str, str],
    *,
    headers: dict[str, str] = PREFLIGHT,
) -> httpx.Response:
    """POST a multipart request: ``operations``, ``map`` (JSON unless given as bytes),
    then the file ``parts``."""

    def encoded(value: Any) -> bytes:
        return value if isinstance(value, bytes) else orjson.dumps(value)

    fields = {"operations": encoded(operations), "map": encoded(mapping)}
    return httpx.post(
        f"{hub.url}/graphql",
        files=[(name, (None, value)) for name, value in fields.items()]
        + [(name, upload) for name, upload in parts],
        headers={"accept": GQL, **headers, **who},
        timeout=30,
    )


def submit_with(
    hub: RunningHub, ticket: dict[str, Any], uploads: list[Upload], who: dict[str, str]
) -> httpx.Response:
    """submitTicket with ``uploads`` as its attachments, mapped as the spec says."""
    operations = {
        "query": SUBMIT,
        "variables": {"input": ticket | {"attachments": [None] * len(uploads)}},
    }
    mapping = {str(i): [f"variables.input.attachments.{i}"] for i in range(len(uploads))}
    return send(hub, operations, mapping, [(str(i), u) for i, u in enumerate(uploads)], who)


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


def stored(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    ticket: dict[str, Any] = body["data"]["submitTicket"]["ticket"]
    return ticket


def download(hub: RunningHub, path: str, who: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{hub.url}{path}", headers=who, timeout=30)


def my_count(hub: RunningHub, who: dict[str, str]) -> int:
    count: int = hub.post(MINE, headers=who).json()["data"]["myTickets"]["totalCount"]
    return count


def test_a_photo_and_a_pdf_are_kept_with_the_ticket_and_downloaded_by_its_owner(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    ticket = stored(
        submit_with(
            kept.hub,
            theft(),
            [("kencom.jpg", JPEG, "image/jpeg"), ("C:\\forms\\OB form.pdf", PDF, None)],
            amina,
        )
    )

    photo, form = ticket["attachments"]
    assert (photo["filename"], photo["contentType"], photo["sizeBytes"]) == (
        "kencom.jpg",
        "image/jpeg",
        len(JPEG),
    )
    assert (form["filename"], form["contentType"], form["sizeBytes"]) == (
        "OB form.pdf",
        "application/pdf",
        len(PDF),
    )
    assert photo["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert form["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert photo["downloadPath"] == f"/attachments/{photo['id']}"
    kept_bytes = {path.read_bytes() for path in kept.files()}
    assert {JPEG, PDF} <= kept_bytes
    assert all(path.name not in ("kencom.jpg", "OB form.pdf") for path in kept.files())

    got = download(kept.hub, photo["downloadPath"], amina)
    assert got.status_code == 200
    assert got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["content-disposition"] == 'attachment; filename="kencom.jpg"'
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in got.headers["content-security-policy"]
    for insider in (POLICE, ADMIN):
        again = download(kept.hub, form["downloadPath"], insider)
        assert again.status_code == 200
        assert again.content == PDF
        assert again.headers["content-type"] == "application/pdf"
        assert again.headers["content-disposition"] == "attachment; filename*=utf-8''OB%20form.pdf"

    followed = kept.hub.post(FOLLOW, {"n": ticket["trackingNumber"]}, headers=POLICE).json()
    assert followed["data"]["ticket"]["attachments"] == ticket["attachments"]
    audit = kept.hub.post(DOWNLOADS, {"id": form["id"]}, headers=ADMIN).json()
    reads = [edge["node"] for edge in audit["data"]["auditLog"]["edges"]]
    assert sorted((r["role"], r["agency"], r["outcome"]) for r in reads) == [
        ("ADMIN", "police", "OK"),
        ("RESOLVER", "police", "OK"),
    ]
    assert {r["operation"] for r in reads} == {"GET /attachments"}


def test_only_the_owner_staff_of_its_agency_and_admins_get_the_files(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    ticket = stored(submit_with(kept.hub, theft(), [("kencom.png", PNG, "image/png")], amina))
    [photo] = ticket["attachments"]

    anonymous = download(kept.hub, photo["downloadPath"], NOBODY)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert (
        download(kept.hub, photo["downloadPath"], {"authorization": "Bearer x"}).status_code == 401
    )
    for stranger in (citizen(), REVENUE):
        refused = download(kept.hub, photo["downloadPath"], stranger)
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert PNG not in refused.content
    assert download(kept.hub, f"/attachments/{uuid.uuid4()}", amina).status_code == 404
    assert download(kept.hub, "/attachments/..%2F..%2Fhub.db", amina).status_code == 404

    for stranger in (NOBODY, citizen(), REVENUE):
        seen = kept.hub.post(FOLLOW, {"n": ticket["trackingNumber"]}, headers=stranger).json()
        assert seen["data"]["ticket"] == {"personalDataVisible": False, "attachments": None}

    audit = kept.hub.post(DOWNLOADS, {"id": photo["id"]}, headers=ADMIN).json()
    outcomes = sorted(edge["node"]["outcome"] for edge in audit["data"]["auditLog"]["edges"])
    assert outcomes == ["FORBIDDEN", "FORBIDDEN", "UNAUTHENTICATED", "UNAUTHENTICATED"]


def test_an_anonymous_submitter_sees_the_files_it_sent_but_cannot_download_them(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    ticket = stored(submit_with(kept.hub, theft(), [("kencom.webp", WEBP, "image/webp")], NOBODY))
    [photo] = ticket["attachments"]
    assert (photo["filename"], photo["contentType"]) == ("kencom.webp", "image/webp")
    assert download(kept.hub, photo["downloadPath"], NOBODY).status_code == 401
    assert download(kept.hub, photo["downloadPath"], POLICE).content == WEBP


def test_a_resubmission_with_the_same_key_stores_the_files_once(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    ticket = theft()
    uploads: list[Upload] = [("a.jpg", JPEG, "image/jpeg"), ("b.pdf", PDF, "application/pdf")]
    first = stored(submit_with(kept.hub, ticket, uploads, amina))
    files, rows = len(kept.files()), kept.rows()

    again = stored(submit_with(kept.hub, ticket, uploads, amina))
    assert again == first
    assert (len(kept.files()), kept.rows()) == (files, rows)

    other = submit_with(kept.hub, ticket, [("a.jpg", JPEG, "image/jpeg")], amina)
    assert codes(other) == ["BAD_USER_INPUT"]
    assert other.json()["errors"][0]["extensions"]["argument"] == "input.idempotencyKey"
    assert (len(kept.files()), kept.rows(), my_count(kept.hub, amina)) == (files, rows, 1)


@pytest.mark.parametrize(
    ("uploads", "code", "argument"),
    [
        pytest.param([("anim.gif", GIF, "image/gif")], "ATTACHMENT_NOT_ALLOWED", "0", id="gif"),
        pytest.param(
            [("photo.jpg", JPEG, "image/jpeg"), ("scan.png", PDF, "image/png")],
            "ATTACHMENT_NOT_ALLOWED",
            "1",
            id="pdf-sent-as-png",
        ),
        pytest.param(
            [("photo.jpg", b"MZ\x90\x00" + bytes(64), "image/jpeg")],
            "ATTACHMENT_NOT_ALLOWED",
            "0",
            id="program-sent-as-jpeg",
        ),
        pytest.param([("empty.pdf", b"", None)], "ATTACHMENT_NOT_ALLOWED", "0", id="empty"),
    ],
)
def test_a_file_of_a_type_not_allowed_is_refused_and_nothing_is_kept(
    kept: AttachmentsHub,
    healthy: dict[str, RunningStandIn],
    uploads: list[Upload],
    code: str,
    argument: str,
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    response = submit_with(kept.hub, theft(), uploads, amina)
    assert response.status_code == 200
    assert codes(response) == [code]
    error = response.json()["errors"][0]
    assert error["extensions"]["argument"] == f"input.attachments.{argument}"
    assert response.json()["data"] == {"submitTicket": None}
    assert (kept.files(), kept.rows(), my_count(kept.hub, amina)) == (*before, 0)


def test_a_file_over_the_size_limit_is_refused_while_it_streams_in(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    large = JPEG + bytes(MAX_BYTES - len(JPEG) + 1)
    response = submit_with(
        kept.hub, theft(), [("small.jpg", JPEG, None), ("big.jpg", large, None)], amina
    )
    assert response.status_code == 413
    assert codes(response) == ["ATTACHMENT_TOO_LARGE"]
    assert "big.jpg" in response.json()["errors"][0]["message"]
    just_right = JPEG + bytes(MAX_BYTES - len(JPEG))
    assert stored(submit_with(kept.hub, theft(), [("max.jpg", just_right, None)], amina))
    assert my_count(kept.hub, amina) == 1
    assert len(kept.files()) == len(before[0]) + 1


def test_more_files_than_a_ticket_carries_are_refused(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    uploads: list[Upload] = [(f"{n}.pdf", PDF, None) for n in range(PER_TICKET + 1)]
    response = submit_with(kept.hub, theft(), uploads, amina)
    assert response.status_code == 413
    assert codes(response) == ["TOO_MANY_ATTACHMENTS"]
    assert (kept.files(), kept.rows(), my_count(kept.hub, amina)) == (*before, 0)


def test_a_failed_submission_with_files_keeps_neither_files_nor_rows(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    response = submit_with(kept.hub, theft(title="   "), [("a.jpg", JPEG, None)], amina)
    assert codes(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["extensions"]["argument"] == "input.title"
    unrouted = submit_with(kept.hub, theft(agency="nowhere"), [("a.jpg", JPEG, None)], amina)
    assert codes(unrouted) == ["BAD_USER_INPUT"]
    assert (kept.files(), kept.rows(), my_count(kept.hub, amina)) == (*before, 0)


def test_a_multipart_request_needs_a_preflight_header(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    operations = {"query": SUBMIT, "variables": {"input": theft(attachments=[None])}}
    response = send(
        kept.hub,
        operations,
        {"0": ["variables.input.attachments.0"]},
        [("0", ("a.jpg", JPEG, "image/jpeg"))],
        amina,
        headers={},
    )
    assert response.status_code == 400
    assert codes(response) == ["CSRF_REJECTED"]
    assert (kept.files(), kept.rows(), my_count(kept.hub, amina)) == (*before, 0)


ONE_FILE = {"query": SUBMIT, "variables": {"input": theft(attachments=[None])}}
A_JPEG: list[tuple[str, Upload]] = [("0", ("a.jpg", JPEG, "image/jpeg"))]


@pytest.mark.parametrize(
    ("operations", "mapping", "parts", "words"),
    [
        pytest.param(b"{not json", {}, [], "'operations' part is not valid JSON", id="ops-json"),
        pytest.param(ONE_FILE, b"[1,", A_JPEG, "'map' part is not valid JSON", id="map-json"),
        pytest.param(ONE_FILE, ["0"], A_JPEG, "'map' part must be a JSON object", id="map-shape"),
        pytest.param(
            ONE_FILE,
            {"0": ["variables.input.title"]},
            A_JPEG,
            "does not lead to a null",
            id="path-not-null",
        ),
        pytest.param(
            ONE_FILE,
            {"0": ["variables.input.attachments.5"]},
            A_JPEG,
            "does not lead to a null",
            id="path-beyond-list",
        ),
        pytest.param(
            {**ONE_FILE, "extensions": None},
            {"0": ["extensions"]},
            A_JPEG,
            "does not lead to a null",
            id="path-outside-variables",
        ),
        pytest.param(
            ONE_FILE,
            {"0": ["variables.input.attachments.0"]},
            [("1", ("a.jpg", JPEG, "image/jpeg"))],
            "the file part '1' is not in the map",
            id="file-not-in-map",
        ),
        pytest.param(
            ONE_FILE,
            {"0": ["variables.input.attachments.0"]},
            [],
            "the map names the file part '0', but the request carries none",
            id="file-missing",
        ),
    ],
)
def test_a_request_that_breaks_the_multipart_spec_is_400_and_keeps_nothing(
    kept: AttachmentsHub,
    healthy: dict[str, RunningStandIn],
    operations: Any,
    mapping: Any,
    parts: list[tuple[str, Upload]],
    words: str,
) -> None:
    amina = citizen()
    before = (kept.files(), kept.rows())
    response = send(kept.hub, operations, mapping, parts, amina)
    assert response.status_code == 400, response.text
    assert words in response.json()["errors"][0]["message"]
    assert (kept.files(), kept.rows(), my_count(kept.hub, amina)) == (*before, 0)


def test_parts_out_of_order_and_a_torn_body_are_400(kept: AttachmentsHub) -> None:
    files_first = httpx.post(
        f"{kept.hub.url}/graphql",
        files=[("0", ("a.jpg", JPEG, "image/jpeg")), ("operations", (None, b"{}"))],
        headers={"accept": GQL, **PREFLIGHT},
    )
    assert files_first.status_code == 400
    assert "'operations' must come before '0'" in files_first.json()["errors"][0]["message"]

    torn = httpx.post(
        f"{kept.hub.url}/graphql",
        content=b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}',
        headers={"accept": GQL, "content-type": "multipart/form-data; boundary=b", **PREFLIGHT},
    )
    assert torn.status_code == 400
    assert "ends before its closing boundary" in torn.json()["errors"][0]["message"]


def test_a_string_in_place_of_a_file_is_refused(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    response = kept.hub.post(SUBMIT, {"input": theft(attachments=["photo.jpg"])}, headers=amina)
    assert codes(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["extensions"]["argument"] == "input.attachments.0"
    assert my_count(kept.hub, amina) == 0


def test_a_batch_carries_files_for_each_of_its_operations(
    kept: AttachmentsHub, healthy: dict[str, RunningStandIn]
) -> None:
    amina = citizen()
    operations = [
        {"query": SUBMIT, "variables": {"input": theft(attachments=[None])}},
        {"query": SUBMIT, "variables": {"input": theft(attachments=[None])}},
    ]
    mapping = {"a": ["0.variables.input.attachments.0"], "b": ["1.variables.input.attachments.0"]}
    parts: list[tuple[str, Upload]] = [("a", ("a.jpg", JPEG, None)), ("b", ("b.pdf", PDF, None))]
    response = send(kept.hub, operations, mapping, parts, amina)
    assert response.status_code == 200
    first, second = (body["data"]["submitTicket"]["ticket"] for body in response.json())
    assert [a["contentType"] for a in first["attachments"]] == ["image/jpeg"]
    assert [a["contentType"] for a in second["attachments"]] == ["application/pdf"]
