"""Which proxies are trusted: `TRACKER_PROXY_FIX` wraps the application in werkzeug's
`ProxyFix`, so the client's address (rate limits, logs), the scheme (`Secure` redirects,
links) and, if asked, the host come from the `X-Forwarded-*` headers of that many proxies.

Unset, empty, `0` or `off` (the default): no header is trusted. `N` (e.g. `1`):
`X-Forwarded-For` and `X-Forwarded-Proto` from `N` proxies. Or name each header's count:
`for=1,proto=1,host=1` (also `port` and `prefix`). Trust only headers your proxy sets or
strips: a header it passes through untouched is the client's to forge.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = ("for", "proto", "host", "port", "prefix")
OFF = frozenset({"", "0", "off", "no", "false"})


def proxy_counts(setting: str) -> dict[str, int]:
    """ProxyFix's keyword arguments for a TRACKER_PROXY_FIX value; ValueError if malformed.

    >>> proxy_counts("1")
    {'x_for': 1, 'x_proto': 1}
    >>> proxy_counts("for=2, host=1")
    {'x_for': 2, 'x_host': 1}
    """
    setting = setting.strip()
    if setting.isdigit():
        return {"x_for": int(setting), "x_proto": int(setting)}
    counts: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in setting.split(","))):
        name, _, value = (s.strip() for s in part.partition("="))
        if name not in HEADERS or not value.isdigit():
            raise ValueError(f"TRACKER_PROXY_FIX: {part!r} is not one of "
                             f"{', '.join(HEADERS)} '=' a count")
        counts[f"x_{name}"] = int(value)
    return counts


def init_app(app: Flask) -> None:
    """Wrap the WSGI application in ProxyFix when TRACKER_PROXY_FIX trusts some proxy; a
    malformed value stops the start (ValueError) rather than trusting the wrong headers."""
    setting = str(app.config.get("TRACKER_PROXY_FIX") or "").strip().lower()
    if setting not in OFF:
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxy_counts(setting))  # type: ignore[method-assign]
