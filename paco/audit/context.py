"""The address a change comes from, carried from the request to the audit entry."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("paco_audit_ip", default=None)
