"""Attachments in the ticket store, on SQLite and PostgreSQL: checked by their content,
kept under generated names with their rows in the ticket's transaction, removed when
that transaction does not commit, stored once for a resubmission."""

from __future__ import annotations

import asyncio
import hashlib
import io
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hub.agencies import ConfigError
from hub.errors import InvalidInput, NotFound
from hub.identity import ANONYMOUS
from hub.settings import Settings
from hub.tickets import (
    AttachmentNotAllowed,
    AttachmentStorage,
    AttachmentTooLarge,
    TicketStore,
    TooManyAttachments,
    UploadedFile,
)
from hub.tickets.attachments import (
    DEFAULT_TYPES,
    clean_filename,
    default_directory,
    named_as,
    sniff,
)
from tests.hub.tickets.test_store_support import NOW, THEFT, counts, ticket
from tests.support.callers import citizen
from tests.support.statements import statements_sent

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(32)
MAX_BYTES = 4096


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture
def keeping(store: TicketStore, folder: Path) -> TicketStore:
    """The store, keeping at most 3 files of at most 4 KiB per ticket in ``folder``."""
    return store.with_attachments(AttachmentStorage(folder, max_bytes=MAX_BYTES, per_ticket=3))


def upload(filename: str, content: bytes, content_type: str | None = None) -> UploadedFile:
    return UploadedFile(filename=filename, content_type=content_type, content=io.BytesIO(content))


def kept(folder: Path) -> list[Path]:
    """Every file in the attachments folder, half-written ones included."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def private_files(folder: Path) -> set[bytes]:
    """The contents of the files in ``folder``, checked to be whole, readable by the
    hub's user only and named by the hub."""
    on_disk = kept(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in on_disk)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in on_disk)
    assert all(len(p.name) == 32 and p.parent.name == p.name[:2] for p in on_disk)
    return {p.read_bytes() for p in on_disk}


async def attachment_rows(store: TicketStore) -> int:
    async with store.engine.connect() as connection:
        result = await connection.execute(text("SELECT count(*) FROM ticket_attachments"))
        return int(result.scalar_one())


async def test_files_are_kept_under_generated_names_with_their_rows(
    keeping: TicketStore, folder: Path
) -> None:
    files = [
        upload("../../etc/kencom.jpg", JPEG, "image/jpeg"),
        upload("ob-form.pdf", PDF, "application/octet-stream"),
        upload("clip.mp4", MP4, None),
    ]
    view = await keeping.submit(
        THEFT, citizen("amina"), idempotency_key="key-attach-1", attachments=files, now=NOW
    )

    listed = await keeping.attachments(view.tracking_number.lower())
    assert [(a.filename, a.content_type, a.size) for a in listed] == [
        ("kencom.jpg", "image/jpeg", len(JPEG)),
        ("ob-form.pdf", "application/pdf", len(PDF)),
        ("clip.mp4", "video/mp4", len(MP4)),
    ]
    assert [a.sha256 for a in listed] == [hashlib.sha256(b).hexdigest() for b in (JPEG, PDF, MP4)]
    assert {a.ticket_id for a in listed} == {view.id}
    assert listed[0].created_at == NOW

    assert private_files(folder) == {JPEG, PDF, MP4}

    found = await keeping.attachment(listed[1].id)
    assert found.path.read_bytes() == PDF
    assert found.ticket == view
    assert found.attachment == listed[1]
    with pytest.raises(NotFound):
        await keeping.attachment(str(uuid.uuid4()))
    with pytest.raises(NotFound):
        await keeping.attachment("../../hub.db")
    assert await keeping.attachments("CH-2026-999999") == []


async def test_the_attachments_of_many_tickets_cost_one_statement(keeping: TicketStore) -> None:
    numbers = []
    for n in range(4):
        view = await keeping.submit(
            THEFT,
            citizen("amina"),
            idempotency_key=f"key-many-{n}",
            attachments=[upload(f"photo-{i}.jpg", JPEG, "image/jpeg") for i in range(n)],
            now=NOW,
        )
        numbers.append(view.tracking_number)

    with statements_sent(keeping.engine) as sent:
        found = await keeping.attachments_of([*numbers, "CH-2026-999999"])

    assert len(sent) == 1
    assert [len(found[number]) for number in numbers] == [0, 1, 2, 3]
    assert found["CH-2026-999999"] == []
    assert [a.filename for a in found[numbers[3]]] == ["photo-0.jpg", "photo-1.jpg", "photo-2.jpg"]
    with statements_sent(keeping.engine) as sent, pytest.raises(InvalidInput):
        await keeping.attachments_of(["not a number"])
    assert sent == []


async def test_a_resubmission_stores_the_files_once_and_other_files_reuse_no_key(
    keeping: TicketStore, folder: Path
) -> None:
    def files() -> list[UploadedFile]:
        return [upload("a.png", PNG, "image/png"), upload("b.webp", WEBP, "image/webp")]

    amina = citizen("amina")
    first = await keeping.submit(THEFT, amina, idempotency_key="key-attach-2", attachments=files())
    again = await keeping.submit(THEFT, amina, idempotency_key="key-attach-2", attachments=files())
    assert again == first
    assert (len(kept(folder)), await attachment_rows(keeping)) == (2, 2)

    with pytest.raises(InvalidInput) as refused:
        await keeping.submit(THEFT, amina, idempotency_key="key-attach-2", attachments=files()[:1])
    assert refused.value.argument == "idempotencyKey"
    with pytest.raises(InvalidInput):
        await keeping.submit(THEFT, amina, idempotency_key="key-attach-2")
    assert (len(kept(folder)), await attachment_rows(keeping)) == (2, 2)
    assert (await counts(keeping))["tickets"] == 1


async def test_concurrent_resubmissions_keep_one_set_of_files(
    keeping: TicketStore, folder: Path
) -> None:
    amina = citizen("amina")
    views = await asyncio.gather(
        *(
            keeping.submit(
                THEFT,
                amina,
                idempotency_key="key-attach-3",
                attachments=[upload("a.jpg", JPEG), upload("b.pdf", PDF)],
            )
            for _ in range(3)
        )
    )
    assert len({v.tracking_number for v in views}) == 1
    assert (len(kept(folder)), await attachment_rows(keeping)) == (2, 2)


@pytest.mark.parametrize(
    ("files", "error", "argument"),
    [
        pytest.param(
            [upload(f"{n}.pdf", PDF) for n in range(4)],
            TooManyAttachments,
            "attachments",
            id="four-files",
        ),
        pytest.param(
            [upload("a.jpg", JPEG), upload("big.jpg", JPEG + bytes(MAX_BYTES))],
            AttachmentTooLarge,
            "attachments.1",
            id="too-large",
        ),
        pytest.param(
            [upload("a.gif", b"GIF89a" + bytes(16), "image/gif")],
            AttachmentNotAllowed,
            "attachments.0",
            id="gif",
        ),
        pytest.param(
            [upload("a.png", PDF, "image/png")],
            AttachmentNotAllowed,
            "attachments.0",
            id="pdf-sent-as-png",
        ),
        pytest.param(
            [upload("notes.txt", b"just some text", "text/plain")],
            AttachmentNotAllowed,
            "attachments.0",
            id="text",
        ),
        pytest.param([upload("a.jpg", b"")], AttachmentNotAllowed, "attachments.0", id="empty"),
    ],
)
async def test_a_file_that_breaks_a_rule_is_refused_and_nothing_is_written(
    keeping: TicketStore,
    folder: Path,
    files: list[UploadedFile],
    error: type[InvalidInput],
    argument: str,
) -> None:
    before = await counts(keeping)
    with pytest.raises(error) as refused:
        await keeping.submit(THEFT, citizen("amina"), attachments=files)
    assert refused.value.argument == argument
    assert refused.value.code == error.code
    assert await counts(keeping) == before
    assert kept(folder) == []


async def test_a_ticket_that_is_refused_writes_no_file(keeping: TicketStore, folder: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        await keeping.submit(ticket(title=" "), ANONYMOUS, attachments=[upload("a.jpg", JPEG)])
    assert refused.value.argument == "title"
    assert kept(folder) == []
    assert (await counts(keeping))["tickets"] == 0


async def test_files_of_a_transaction_that_fails_are_removed(
    keeping: TicketStore, folder: Path
) -> None:
    async with keeping.engine.begin() as connection:
        if keeping.engine.dialect.name == "sqlite":
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON ticket_attachments "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON ticket_attachments "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    before = await counts(keeping)

    with pytest.raises(DBAPIError, match="refused by the test"):
        await keeping.submit(
            THEFT, citizen("amina"), attachments=[upload("a.jpg", JPEG), upload("b.pdf", PDF)]
        )
    assert await counts(keeping) == before
    assert kept(folder) == []


async def test_a_store_without_a_folder_takes_no_files(store: TicketStore) -> None:
    with pytest.raises(AttachmentNotAllowed) as refused:
        await store.submit(THEFT, ANONYMOUS, attachments=[upload("a.jpg", JPEG)])
    assert "keeps no attachments" in refused.value.message
    assert (await counts(store))["tickets"] == 0


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (MP4, "video/mp4"),
        (PDF, "application/pdf"),
        (b"GIF87a", "image/gif"),
        (b"\x00\x00\x00\x14ftypqt  ", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"PK\x03\x04", "application/zip"),
        (b"RIFF\x00\x00\x00\x00WAVE", None),
        (b"\x00\x00\x00\x18ftypzzzz<html><script>", None),
        (b"<html>", None),
        (b"", None),
    ],
)
def test_types_are_recognised_by_their_first_bytes(head: bytes, kind: str | None) -> None:
    assert sniff(head[:32]) == kind


@pytest.mark.parametrize(
    ("given", "kind", "named"),
    [
        ("scan.pdf", "application/pdf", "scan.pdf"),
        ("invoice.cmd", "application/pdf", "invoice.cmd.pdf"),
        ("clip.html", "video/mp4", "clip.html.mp4"),
        ("photo.JPEG", "image/jpeg", "photo.JPEG"),
        ("photo", "image/png", "photo.png"),
    ],
)
def test_a_kept_file_is_named_with_the_extension_of_its_content(
    given: str, kind: str, named: str
) -> None:
    assert named_as(given, kind) == named


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\amina\\scan.pdf", "scan.pdf"),
        ("a\x00b\nc.png", "abc.png"),
        ("..", "attachment"),
        ("   ", "attachment"),
        ("x" * 300 + ".jpeg", "x" * 250 + ".jpeg"),
    ],
)
def test_filenames_are_shown_back_without_any_path(given: str, shown: str) -> None:
    assert clean_filename(given) == shown


def test_no_stored_path_leads_out_of_the_folder(folder: Path) -> None:
    storage = AttachmentStorage(folder)
    assert storage.path_of("ab/abcdef") == (folder / "ab" / "abcdef").resolve()
    for escape in ("../hub.db", "/etc/passwd", "ab/../../x", "."):
        with pytest.raises(ValueError, match="leads out of"):
            storage.path_of(escape)


def settings(**changes: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": "sqlite+aiosqlite:///data/hub/hub.db",
        "attachment_max_bytes": 1000,
        "attachment_types": "image/png, application/pdf",
        "attachments_per_ticket": 2,
    }
    return Settings(**(values | changes))


def test_the_settings_give_the_folder_and_the_rules() -> None:
    storage = AttachmentStorage.from_settings(settings())
    assert storage.directory == Path("data/hub/attachments")
    assert storage.allowed_types == {"image/png", "application/pdf"}
    assert (storage.max_bytes, storage.per_ticket) == (1000, 2)
    default = AttachmentStorage.from_settings(Settings())
    assert default.allowed_types == set(DEFAULT_TYPES)
    assert (default.max_bytes, default.per_ticket) == (10 * 1024 * 1024, 5)
    chosen = AttachmentStorage.from_settings(settings(attachments_dir=Path("/srv/files")))
    assert chosen.directory == Path("/srv/files")
    assert default_directory("postgresql+asyncpg://hub@db/hub") == Path("var/attachments")
    with pytest.raises(ConfigError, match=r"HUB_ATTACHMENT_TYPES: .*text/plain"):
        AttachmentStorage.from_settings(settings(attachment_types="image/png,text/plain"))
