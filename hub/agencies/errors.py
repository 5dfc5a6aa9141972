"""The error raised when the agencies file or a connector cannot be loaded."""

from __future__ import annotations

from collections.abc import Sequence


class ConfigError(Exception):
    """The agencies configuration is wrong; ``problems`` holds one readable line each.

    Each line names the file, the agency and the key, says what is wrong and, where it
    can, how to fix it.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


__all__ = ["ConfigError"]
