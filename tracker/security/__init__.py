"""Who is calling and how the answers travel: sessions and Bearer tokens (`sessions`), the
rate limits of anti-automation (`limits`), the security headers of every response
(`headers`), the proxies trusted (`proxies`) and what operators see: request ids, JSON logs
and metrics (`observability`)."""

from __future__ import annotations

from flask import Flask

from tracker.security import headers, limits, observability, proxies, sessions


def init_app(app: Flask) -> None:
    """Wire proxies, logs and metrics, sign-in, rate limits and response headers into the
    application."""
    proxies.init_app(app)
    observability.init_app(app)
    sessions.init_app(app)
    limits.init_app(app)
    headers.init_app(app)
