"""Errors shown to people: API errors as `{"error": {"code", "message"}}` with a 4xx/5xx, and
command-line errors as one line on stderr.

This module imports nothing of the helper, so the CLI and the command modules it loads
(helper.cli.evidence) can both raise `CliError` without importing each other.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error meant for the client. `message` must be safe to show (no secrets, no PII)."""

    def __init__(self, status: int, code: str, message: str,
                 details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} {ident!r} does not exist")


class CliError(Exception):
    """Shown to the user as one line on stderr; exit code 1."""
