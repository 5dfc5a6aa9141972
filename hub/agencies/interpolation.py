"""``${NAME}`` and ``${NAME:-default}`` references in the agencies file.

Secrets never sit in the file: it names environment variables and the hub fills them
in from the process environment, then from the ``.env`` file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def interpolate(
    value: Any,
    variables: Mapping[str, str],
    on_missing: Callable[[tuple[str | int, ...], str], None],
    path: tuple[str | int, ...] = (),
) -> Any:
    """Return ``value`` with every reference in its strings replaced.

    Walks dicts and lists; ``on_missing(path, name)`` is called for each reference
    to an unset variable without a default (which is left as it was).
    """
    if isinstance(value, dict):
        return {k: interpolate(v, variables, on_missing, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, variables, on_missing, (*path, i)) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in variables:
            return variables[name]
        if default is not None:
            return default
        on_missing(path, name)
        return match.group(0)

    return REFERENCE.sub(replace, value)


__all__ = ["REFERENCE", "interpolate"]
