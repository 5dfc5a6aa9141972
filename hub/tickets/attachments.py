"""Files citizens attach to their tickets: checked, then kept in a folder of the hub's.

- **Checked** before anything is kept (:meth:`AttachmentStorage.check`): at most
  ``per_ticket`` files of at most ``max_bytes`` each, whose content is of an allowed
  type. The type is read from the file's first bytes (its magic number), never taken
  from the client; the type the client declared must agree with it (a declared
  ``application/octet-stream``, or none, defers to the content).
- **Kept** under a name the hub generates (:meth:`AttachmentStorage.save`): the
  client's filename is only shown back, cleaned of any folder part, and never becomes a
  path. Each file is written under a temporary name, flushed to disk and then renamed,
  readable by the hub's user only, so a file is either whole or absent.
- Its row in ``ticket_attachments`` (size, SHA-256, type, the generated name) is
  written in the ticket's own transaction; the files written for a transaction that
  did not commit are removed again (:meth:`AttachmentStorage.discard`).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hub.agencies.errors import ConfigError
from hub.errors import InvalidInput
from hub.settings import Settings

DEFAULT_TYPES = ("image/jpeg", "image/png", "image/webp", "video/mp4", "application/pdf")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_PER_TICKET = 5
ARGUMENT = "attachments"
"""The store's argument the attachments' errors name, with the file's index after a dot."""
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
"""Declared types that say nothing of the content: the sniffed type stands."""
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}
_CHUNK = 64 * 1024
_HEAD = 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_FILENAME = 255

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
)
_ISO_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"avif": "image/avif",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3gp6": "video/3gpp",
    b"M4A ": "audio/mp4",
    **dict.fromkeys(
        (b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "),
        "video/mp4",
    ),
}
"""Major brands of ISO media files (``ftyp`` at offset 4) and their types; a file of any
other brand is of no type the hub recognises."""
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/avif": ".avif",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/3gpp": ".3gp",
    "audio/mp4": ".m4a",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
}
"""The extension a kept file's name gets for its type, whatever the client named it."""
SNIFFED_TYPES = frozenset(
    {kind for _, kind in _MAGIC} | set(_ISO_BRANDS.values()) | {"image/webp", "video/mp4"}
)
"""Every type :func:`sniff` recognises; the allow-list may hold only these."""


class AttachmentNotAllowed(InvalidInput):
    """A file's content is not of an allowed type, or not of the type it was sent as."""

    code = "ATTACHMENT_NOT_ALLOWED"


class AttachmentTooLarge(InvalidInput):
    """A file is larger than the hub keeps."""

    code = "ATTACHMENT_TOO_LARGE"


class TooManyAttachments(InvalidInput):
    """More files than one ticket may carry."""

    code = "TOO_MANY_ATTACHMENTS"


@dataclass(slots=True)
class UploadedFile:
    """A file as a client sent it: the name and type it gave, and the bytes in
    ``content`` (a readable, seekable binary file the receiver closes)."""

    filename: str
    content_type: str | None
    content: IO[bytes]
    size: int = 0

    def close(self) -> None:
        """Release the bytes."""
        self.content.close()


@dataclass(frozen=True, slots=True)
class CheckedAttachment:
    """A file that passed the checks: its cleaned name, its sniffed type, its size and
    SHA-256, and where its bytes are."""

    filename: str
    content_type: str
    size: int
    sha256: str
    content: IO[bytes]


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A checked file written under its generated name ``stored_path`` (relative to
    the attachments folder), to be recorded under ``id``."""

    id: str
    stored_path: str
    attachment: CheckedAttachment


def sniff(head: bytes) -> str | None:
    """The type of a file whose first bytes are ``head``; ``None`` if unrecognised."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _ISO_BRANDS.get(head[8:12])
    return None


def clean_filename(filename: str) -> str:
    """The name to show back: its last path component, without control characters,
    at most 255 characters (the extension kept), ``attachment`` if nothing is left."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()
    if name in ("", ".", ".."):
        return "attachment"
    if len(name) > _MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        keep = extension if dot and stem and len(extension) <= 16 else ""
        name = name[: _MAX_FILENAME - len(keep) - 1] + "." + keep if keep else name[:_MAX_FILENAME]
    return name


def named_as(filename: str, kind: str) -> str:
    """``filename`` with the extension of ``kind``, so that a file saved from a download
    opens as what its content is (``invoice.cmd`` holding a PDF becomes
    ``invoice.cmd.pdf``); unchanged when it has that extension already."""
    extension = EXTENSIONS.get(kind)
    if extension is None or filename.lower().endswith(extension):
        return filename
    if kind == "image/jpeg" and filename.lower().endswith(".jpeg"):
        return filename
    return clean_filename(filename + extension)


class AttachmentStorage:
    """The attachments folder and the rules of what goes into it.

    ``allowed_types`` must be types :func:`sniff` recognises (:data:`SNIFFED_TYPES`);
    :class:`ValueError` otherwise.
    """

    def __init__(
        self,
        directory: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allowed_types: Iterable[str] = DEFAULT_TYPES,
        per_ticket: int = DEFAULT_PER_TICKET,
    ) -> None:
        allowed = frozenset(kind.strip().lower() for kind in allowed_types)
        unknown = sorted(allowed - SNIFFED_TYPES)
        if unknown:
            raise ValueError(
                f"the attachment types {', '.join(unknown)} cannot be recognised by their "
                f"content; allow only some of {', '.join(sorted(SNIFFED_TYPES))}"
            )
        if max_bytes <= 0 or per_ticket < 0:
            raise ValueError("max_bytes must be > 0 and per_ticket >= 0")
        self.directory = directory
        self.max_bytes = max_bytes
        self.allowed_types = allowed
        self.per_ticket = per_ticket

    @classmethod
    def from_settings(cls, settings: Settings) -> AttachmentStorage:
        """The storage the hub's settings describe (``HUB_ATTACHMENT*``); without
        ``HUB_ATTACHMENTS_DIR``, the folder ``attachments`` beside the SQLite database
        file, or ``var/attachments``. :class:`ConfigError` for types it cannot check."""
        directory = settings.attachments_dir or default_directory(settings.database_url)
        try:
            return cls(
                directory,
                max_bytes=settings.attachment_max_bytes,
                allowed_types=[k for k in settings.attachment_types.split(",") if k.strip()],
                per_ticket=settings.attachments_per_ticket,
            )
        except ValueError as exc:
            raise ConfigError([f"HUB_ATTACHMENT_TYPES: {exc}"]) from None

    async def check(self, files: Sequence[UploadedFile]) -> list[CheckedAttachment]:
        """``files`` checked in order: the first that breaks a rule is
        :class:`TooManyAttachments`, :class:`AttachmentTooLarge` or
        :class:`AttachmentNotAllowed`, naming ``attachments.<index>``."""
        if len(files) > self.per_ticket:
            raise TooManyAttachments(
                ARGUMENT,
                f"{len(files)} files sent; a ticket may carry at most {self.per_ticket}",
            )
        return await asyncio.to_thread(lambda: [self._check(i, f) for i, f in enumerate(files)])

    async def save(self, checked: Sequence[CheckedAttachment]) -> list[StoredFile]:
        """Write ``checked`` under generated names; if one fails, none is left."""
        if not checked:
            return []
        return await asyncio.to_thread(self._save_all, checked)

    def discard(self, stored: Sequence[StoredFile]) -> None:
        """Remove files written by :meth:`save` (their transaction did not commit)."""
        for file in stored:
            self.path_of(file.stored_path).unlink(missing_ok=True)

    def path_of(self, stored_path: str) -> Path:
        """Where the file recorded as ``stored_path`` is; :class:`ValueError` if that
        would lead out of the attachments folder."""
        root = self.directory.resolve()
        path = (root / stored_path).resolve()
        if not path.is_relative_to(root) or path == root:
            raise ValueError(f"the stored path {stored_path!r} leads out of {root}")
        return path

    def _check(self, index: int, file: UploadedFile) -> CheckedAttachment:
        argument = f"{ARGUMENT}.{index}"
        name = clean_filename(file.filename)
        content = file.content
        size = content.seek(0, os.SEEK_END)
        if size > self.max_bytes:
            raise AttachmentTooLarge(
                argument,
                f"{name!r} is {size:,} bytes; the largest file kept is {self.max_bytes:,} bytes",
            )
        if size == 0:
            raise AttachmentNotAllowed(argument, f"{name!r} is empty; attach a file with content")
        content.seek(0)
        head = content.read(_HEAD)
        kind = sniff(head)
        allowed = ", ".join(sorted(self.allowed_types)) or "none"
        if kind is None or kind not in self.allowed_types:
            found = kind or "of no type the hub recognises"
            raise AttachmentNotAllowed(
                argument, f"{name!r} is {found}; the types allowed are {allowed}"
            )
        declared = (file.content_type or "").split(";")[0].strip().lower()
        declared = _ALIASES.get(declared, declared)
        if declared not in GENERIC_TYPES and declared != kind:
            raise AttachmentNotAllowed(
                argument,
                f"{name!r} was sent as {declared} but its content is {kind}; send it with "
                "its real type",
            )
        digest = hashlib.sha256(head)
        while chunk := content.read(_CHUNK):
            digest.update(chunk)
        return CheckedAttachment(named_as(name, kind), kind, size, digest.hexdigest(), content)

    def _save_all(self, checked: Sequence[CheckedAttachment]) -> list[StoredFile]:
        stored: list[StoredFile] = []
        try:
            for attachment in checked:
                stored.append(self._save_one(attachment))
        except BaseException:
            self.discard(stored)
            raise
        return stored

    def _save_one(self, attachment: CheckedAttachment) -> StoredFile:
        name = uuid.uuid4().hex
        stored_path = f"{name[:2]}/{name}"
        path = self.path_of(stored_path)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        partial = path.with_name(f"{name}.part")
        digest = hashlib.sha256()
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                attachment.content.seek(0)
                while chunk := attachment.content.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != attachment.sha256:
                raise RuntimeError(f"{attachment.filename!r} changed while it was being stored")
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return StoredFile(str(uuid.UUID(name)), stored_path, attachment)


def default_directory(database_url: str) -> Path:
    """The folder ``attachments`` beside the SQLite database file of ``database_url``,
    else ``var/attachments``."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return Path("var/attachments")
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database or "").parent / "attachments"
    return Path("var/attachments")


def digest_with(digest: str, checked: Sequence[CheckedAttachment]) -> str:
    """The fingerprint of a submission whose ticket fingerprint is ``digest`` and whose
    files are ``checked``: the same without files, different for different files."""
    if not checked:
        return digest
    parts = [digest, *(f"{a.sha256} {a.content_type} {a.filename}" for a in checked)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


__all__ = [
    "ARGUMENT",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_PER_TICKET",
    "DEFAULT_TYPES",
    "SNIFFED_TYPES",
    "AttachmentNotAllowed",
    "AttachmentStorage",
    "AttachmentTooLarge",
    "CheckedAttachment",
    "StoredFile",
    "TooManyAttachments",
    "UploadedFile",
    "clean_filename",
    "default_directory",
    "digest_with",
    "named_as",
    "sniff",
]
