"""Reading ``config/agencies.yaml`` into checked agency definitions.

Every problem found is reported at once, one line each, naming the file, the agency
and the key, e.g. ``config/agencies.yaml: agencies[1] (immigration).timeout: must be
greater than 0, got -1``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from dotenv import dotenv_values
from pydantic import BaseModel, ValidationError

from hub.agencies.config import AgenciesFile, AgencyConfig
from hub.agencies.errors import ConfigError
from hub.agencies.interpolation import interpolate
from hub.agencies.plugins import installed_connectors
from hub.connector import WATCHABLE_CAPABILITIES, Agency, Connector, Contact
from hub.tickets.config import TicketRoutingConfig, check_ticket_config

Loc = Sequence[str | int]


@dataclass(frozen=True, slots=True)
class AgencyDefinition:
    """An agency whose configuration and connector settings have been checked."""

    config: AgencyConfig
    connector_class: type[Connector]
    settings: BaseModel

    @property
    def id(self) -> str:
        """The agency's id."""
        return self.config.id

    @property
    def agency(self) -> Agency:
        """The agency as the connector contract describes it."""
        c = self.config
        return Agency(
            id=c.id,
            name=c.name,
            short_name=c.short_name,
            description=c.description,
            contact=Contact(**c.contact.model_dump()),
        )


@dataclass(frozen=True, slots=True)
class Configuration:
    """The checked agencies file: its agencies and the hub-wide ticket routing."""

    definitions: list[AgencyDefinition]
    ticket_routing: TicketRoutingConfig | None


def load_agencies(
    path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
    connectors: Mapping[str, type[Connector]] | None = None,
) -> list[AgencyDefinition]:
    """The agencies of the agencies file at ``path`` (see :func:`load_configuration`)."""
    return load_configuration(
        path, environ=environ, env_file=env_file, connectors=connectors
    ).definitions


def load_configuration(
    path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
    connectors: Mapping[str, type[Connector]] | None = None,
) -> Configuration:
    """Load, fill in and check the agencies file at ``path``.

    ``${NAME}`` references are filled from ``environ`` (default: the process
    environment), then from ``env_file``. ``connectors`` defaults to the installed
    ones. Raises :class:`ConfigError` listing every problem.
    """
    raw = _read_yaml(path)
    variables = {**_dotenv(env_file), **(os.environ if environ is None else environ)}
    problems: list[str] = []

    def missing(loc: tuple[str | int, ...], name: str) -> None:
        problems.append(
            f"{path}: {_where(raw, loc)}: environment variable {name} is not set; "
            "set it in the environment or in .env (see .env.example)"
        )

    filled = interpolate(raw, variables, missing)
    if problems:
        raise ConfigError(problems)
    try:
        parsed = AgenciesFile.model_validate(filled)
    except ValidationError as exc:
        raise ConfigError(
            [f"{path}: {_where(raw, e['loc'])}: {_describe(e, AgencyConfig)}" for e in exc.errors()]
        ) from None

    problems.extend(check_ticket_config(parsed.agencies, parsed.ticket_routing, file=path))
    available = installed_connectors() if connectors is None else connectors
    definitions: list[AgencyDefinition] = []
    for index, agency in enumerate(parsed.agencies):
        where = _where(raw, ("agencies", index))
        cls = available.get(agency.connector)
        if cls is None:
            problems.append(
                f"{path}: {where}.connector: unknown connector {agency.connector!r}; "
                f"installed connectors: {', '.join(available) or 'none'}"
            )
            continue
        problems.extend(f"{path}: {where}.{problem}" for problem in _unserved_watches(agency, cls))
        try:
            settings = cls.settings_model.model_validate(agency.settings)
        except ValidationError as exc:
            problems.extend(
                f"{path}: {where}.settings{_path(e['loc'])}: "
                f"{_describe(e, cls.settings_model, echo_strings=False)}"
                for e in exc.errors()
            )
            continue
        definitions.append(AgencyDefinition(agency, cls, settings))
    if problems:
        raise ConfigError(problems)
    return Configuration(definitions, parsed.ticket_routing)


def _unserved_watches(agency: AgencyConfig, cls: type[Connector]) -> list[str]:
    """``watch.<capability>: ...`` for each watched capability the connector lacks."""
    watchable = sorted(set(cls.capabilities) & set(WATCHABLE_CAPABILITIES))
    serves = f"it serves {', '.join(watchable)}" if watchable else "it serves none that can be"
    return [
        f"watch.{capability}: the {agency.connector!r} connector does not serve "
        f"{capability!r}, so it cannot be watched ({serves}); remove the key"
        for capability in agency.watch.intervals()
        if capability not in cls.capabilities
    ]


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no such file; set HUB_AGENCIES_FILE to your agencies file"]
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{path}: {at}not valid YAML: {problem}"]) from None
    if not isinstance(data, dict) or "agencies" not in data:
        raise ConfigError([f"{path}: expected a mapping with an 'agencies' list at the top"])
    return data


def _dotenv(env_file: Path | None) -> dict[str, str]:
    if env_file is None or not env_file.is_file():
        return {}
    return {k: v for k, v in dotenv_values(env_file).items() if v is not None}


def _where(raw: Any, loc: Loc) -> str:
    """``agencies[1] (immigration).timeout`` for the location ``("agencies", 1, "timeout")``."""
    if len(loc) >= 2 and loc[0] == "agencies" and isinstance(loc[1], int):
        agencies = raw.get("agencies") if isinstance(raw, dict) else None
        entry = agencies[loc[1]] if isinstance(agencies, list) and loc[1] < len(agencies) else None
        agency_id = entry.get("id") if isinstance(entry, dict) else None
        label = f"agencies[{loc[1]}]" + (f" ({agency_id})" if isinstance(agency_id, str) else "")
        return label + _path(loc[2:])
    return _path(loc).lstrip(".") or "(top level)"


def _path(loc: Loc) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _describe(error: Any, model: type[BaseModel], *, echo_strings: bool = True) -> str:
    """A short, lower-case description of a pydantic error, with what was given."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    got = "" if isinstance(given, str) and not echo_strings else f", got {given!r}"
    match kind:
        case "missing":
            return "is required"
        case "greater_than":
            return f"must be greater than {_number(ctx['gt'])}{got}"
        case "greater_than_equal":
            return f"must be at least {_number(ctx['ge'])}{got}"
        case "less_than":
            return f"must be less than {_number(ctx['lt'])}{got}"
        case "less_than_equal":
            return f"must be at most {_number(ctx['le'])}{got}"
        case "string_pattern_mismatch":
            return f"must match the pattern {ctx['pattern']}{got}"
        case "extra_forbidden":
            return _unknown_key(error["loc"], model)
        case "value_error":
            return str(ctx.get("error", error["msg"]))
    message: str = error["msg"]
    return message[:1].lower() + message[1:] + got


def _number(bound: Any) -> Any:
    """A bound as people write it: ``0`` rather than ``0.0``."""
    return int(bound) if isinstance(bound, float) and bound.is_integer() else bound


def _unknown_key(loc: Loc, model: type[BaseModel]) -> str:
    """Describe an unknown key, suggesting the closest known one."""
    parts = [p for p in loc if isinstance(p, str)]
    if parts and parts[0] == "agencies":
        parts = parts[1:]
    known: list[str] = []
    current: Any = model
    for part in parts[:-1]:
        field = getattr(current, "model_fields", {}).get(part)
        current = field.annotation if field is not None else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        known = sorted(current.model_fields)
    close = difflib.get_close_matches(str(parts[-1]) if parts else "", known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listing = f" (known keys: {', '.join(known)})" if known and not close else ""
    return f"is not a known key{hint}{listing}"


__all__ = ["AgencyDefinition", "load_agencies"]
