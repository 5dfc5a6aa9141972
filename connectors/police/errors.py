"""Every failure of the Occurrence Book database, translated into the hub's errors.

==============================================  =====================================
the database answers                            the hub raises
==============================================  =====================================
connection refused, reset or lost; the server   AgencyUnavailable
shutting down; an SQLite file locked (down)
no connection within ``connect_timeout``        AgencyTimeout
a table or column missing (the schema moved)    AgencyBadResponse (check the schema)
a row the connector or the driver cannot read   AgencyBadResponse
wrong password or database name                 AgencyRejected (check database_url)
no right to write (a read-only role or file)    AgencyRejected (check filing_database_url)
a value the book cannot hold, a broken          AgencyRejected (the database's words)
constraint
==============================================  =====================================

A ticket the book cannot hold (an unknown kind, a name too long for its column) is
refused before any statement, by :mod:`connectors.police.filing`, with AgencyRejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchTableError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from hub.connector import AgencyBadResponse, AgencyRejected, AgencyTimeout, AgencyUnavailable

_REJECTIONS = ("password authentication failed", "does not exist", "access denied", "role ")
"""Words of a refused login or unknown database, from PostgreSQL and MySQL alike."""

_NO_WRITING = ("permission denied", "readonly database", "read-only")
"""Words of a database that does not let this role or file write."""

_SCHEMA_MISMATCHES = ("no such table", "no such column")

_REFUSED_VALUES = ("22", "23")
"""SQLSTATE classes of a value the database will not store: data exceptions (too long,
a NUL character) and broken constraints, for drivers that raise them as plain errors."""
"""SQLite's words for a missing table or column (it raises them as OperationalError)."""


class UnreadableRow(ValueError):
    """A row holds a value the connector cannot turn into the hub's types."""


@contextmanager
def translated_errors(agency: str) -> Iterator[None]:
    """Translate every failure of a database call inside the block into the hub's errors."""
    try:
        yield
    except (PoolTimeout, TimeoutError) as exc:
        raise AgencyTimeout(
            "no database connection in time; the Occurrence Book may be overloaded",
            agency=agency,
        ) from exc
    except (IntegrityError, DataError) as exc:
        raise AgencyRejected(
            f"the Occurrence Book refused the entry ({_first_line(exc)})", agency=agency
        ) from exc
    except (ProgrammingError, NoSuchTableError) as exc:
        if any(words in _first_line(exc).lower() for words in _NO_WRITING):
            raise _no_writing(exc, agency) from exc
        raise _schema_mismatch(exc, agency) from exc
    except DBAPIError as exc:
        message = _first_line(exc)
        if _sqlstate(exc)[:2] in _REFUSED_VALUES:
            raise AgencyRejected(
                f"the Occurrence Book refused the entry ({message})", agency=agency
            ) from exc
        if any(words in message.lower() for words in _SCHEMA_MISMATCHES):
            raise _schema_mismatch(exc, agency) from exc
        if any(words in message.lower() for words in _NO_WRITING):
            raise _no_writing(exc, agency) from exc
        if not exc.connection_invalidated and any(w in message.lower() for w in _REJECTIONS):
            raise AgencyRejected(
                f"the database refused the connection ({message}); check database_url in "
                "this agency's connector settings",
                agency=agency,
            ) from exc
        raise AgencyUnavailable(
            f"the Occurrence Book database is unavailable ({message})", agency=agency
        ) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise AgencyUnavailable(
            f"the Occurrence Book database is unavailable ({type(exc).__name__}: "
            f"{_first_line(exc)})",
            agency=agency,
        ) from exc
    except (ValueError, TypeError) as exc:
        # UnreadableRow from the mapping, or the driver failing to parse a stored value
        # (an SQLite DATETIME column holding text that is no date, say)
        raise AgencyBadResponse(
            f"the Occurrence Book holds a row this connector cannot read: {exc}", agency=agency
        ) from exc


def _no_writing(exc: BaseException, agency: str) -> AgencyRejected:
    return AgencyRejected(
        f"the Occurrence Book does not let the hub write ({_first_line(exc)}); give "
        "filing_database_url, a role that may insert into ob_register, in this agency's "
        "connector settings",
        agency=agency,
    )


def _schema_mismatch(exc: BaseException, agency: str) -> AgencyBadResponse:
    return AgencyBadResponse(
        f"the Occurrence Book's schema is not the one this connector reads ({_first_line(exc)})",
        agency=agency,
    )


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", None) or "")


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
