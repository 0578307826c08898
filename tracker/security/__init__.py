"""Who is calling and how the answers travel: sessions and Bearer tokens (`sessions`), the
rate limits of anti-automation (`limits`) and the security headers of every response
(`headers`)."""

from __future__ import annotations

from flask import Flask

from tracker.security import headers, limits, sessions


def init_app(app: Flask) -> None:
    """Wire sign-in, rate limits and response headers into the application."""
    sessions.init_app(app)
    limits.init_app(app)
    headers.init_app(app)
