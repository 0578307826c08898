"""What operators see: logs, a request id, metrics.

* **Request id.** Every request gets one: the caller's `X-Request-ID` when it is sane (1 to
  200 characters among `A-Z a-z 0-9 . _ -`; a proxy or a load balancer usually sets it),
  else a new one (uuid4, hex). It is echoed in the response's `X-Request-ID` and put on
  every log record written during the request (`RequestIdFilter`).
* **Logs.** One handler on the root logger, on stderr (where gunicorn and containers
  collect them), at `TRACKER_LOG_LEVEL` (INFO), as one JSON object a line
  (`TRACKER_LOG_FORMAT=json`, the default; `JsonFormatter`) or as text (`text`, for a
  console). Every request writes one access line on the `tracker.access` logger: method,
  path, status, duration_ms, request_id and user_id (when signed in).
* **Metrics.** `GET /metrics` answers the Prometheus text format (`tracker.adapters.metrics`):
  request latency by endpoint and status, outbox depth and oldest age and the scheduler
  leader (computed at scrape), background jobs runs and failures. It is not under the API
  and needs no account; set `TRACKER_METRICS_TOKEN` to require `Authorization: Bearer
  <token>`, or keep it off the internet at the proxy.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

from tracker.adapters import metrics
from tracker.scheduler import leadership
from tracker.services import readiness

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")
ACCESS_LOGGER = "tracker.access"
#: The methods the latency metric names; any other (a caller may send any token) is
#: `other`, so no caller can grow the metric's label sets.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: The attributes every LogRecord has: the others were given by `extra=` and are logged too.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "user_id"}

log = logging.getLogger(ACCESS_LOGGER)


def init_app(app: Flask) -> None:
    """Configure the logs, then give every request its id, its access line and its
    latency observation, and serve `/metrics`."""
    configure_logging(app.config.get("TRACKER_LOG_FORMAT") or "json",
                      app.config.get("TRACKER_LOG_LEVEL") or "INFO")
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # before CSRF's check
    app.after_request(_finish)
    app.add_url_rule("/metrics", "metrics", _metrics)


def request_id() -> str | None:
    """The id of the current request, if any."""
    return g.get("request_id") if has_request_context() else None


def sane_request_id(value: str | None) -> str:
    """`value` when it is a sane request id, else a new one.

    >>> sane_request_id("abc-123.X_y")
    'abc-123.X_y'
    >>> len(sane_request_id("<script>"))
    32
    """
    if value and SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts `request_id` and `user_id` on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id() if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id,
    user_id, the record's `extra` fields and the traceback, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None)}
        entry.update({key: value for key, value in vars(record).items()
                      if key not in _STANDARD})
        if record.exc_info:
            entry["exc_info"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class StderrHandler(logging.StreamHandler[TextIO]):
    """A handler writing to whatever `sys.stderr` is when it writes (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """The stream is always the current stderr."""


def configure_logging(log_format: str, level: str) -> logging.Handler:
    """Install tracker's handler on the root logger (replacing the one an earlier app
    installed) with the request id filter and the chosen format, at `level`; tracker's own
    loggers log again if a `logging.config.fileConfig` disabled them (Alembic's `env.py`
    runs one at every in-process `upgrade`)."""
    root = logging.getLogger()
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith("tracker") and isinstance(logger, logging.Logger):
            logger.disabled = False
    for handler in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The same logging as `configure_logging`, as a `logging.config.dictConfig` document:
    gunicorn's `logconfig_dict` (`gunicorn.conf.py`), so gunicorn's own lines (start, worker
    boots and deaths, a request's crash) are JSON too. gunicorn's loggers propagate to the
    root handler, which each worker's application replaces by its own (the same class), so
    no line is written twice; gunicorn's access log stays off."""
    formatter: dict[str, Any] = ({"()": f"{__name__}.JsonFormatter"} if log_format == "json"
                                 else {"format": TEXT_FORMAT})
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {"tracker": formatter},
        "handlers": {"stderr": {"()": f"{__name__}.StderrHandler", "formatter": "tracker",
                                "filters": ["request_id"]}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": [], "propagate": True},
                    "gunicorn.access": {"handlers": [], "propagate": False}}}


def _start() -> None:
    g.request_id = sane_request_id(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    """Echo the request id, observe the latency, write the access line."""
    if "request_id" not in g:  # an error before any before_request function ran
        _start()
    response.headers[HEADER] = g.request_id
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "unmatched"
    method = request.method if request.method in METHODS else "other"
    metrics.REQUEST_LATENCY.labels(method, endpoint, str(response.status_code)).observe(seconds)
    log.info("%s %s %s", request.method, request.path, response.status_code,
             extra={"method": request.method, "path": request.path,
                    "status": response.status_code, "duration_ms": round(seconds * 1000, 3),
                    "endpoint": endpoint})
    return response


def _user_id() -> int | None:
    """The signed-in user's id when this request loaded one (never loads it)."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def _metrics() -> Any:
    """`GET /metrics`: the Prometheus exposition (Bearer token if TRACKER_METRICS_TOKEN)."""
    token = current_app.config.get("TRACKER_METRICS_TOKEN") or os.environ.get(
        "TRACKER_METRICS_TOKEN")
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if token and not (scheme.lower() == "bearer"
                      and hmac.compare_digest(sent.strip().encode(), str(token).encode())):
        return Response("Unauthorized\n", 401, {"WWW-Authenticate": "Bearer"},
                        mimetype="text/plain")
    body = metrics.exposition(metrics.ScrapeCollector(_shared_state))
    return Response(body, 200, {"Cache-Control": "no-store"}, content_type=metrics.CONTENT_TYPE)


def _shared_state() -> metrics.SharedState:
    """The scrape-time gauges' figures; with the database away, zeros and no leader gauge
    (the scrape itself still answers)."""
    try:
        backlog = readiness.outbox_backlog()
        leader = leadership.leader_seen()
    except SQLAlchemyError:
        return metrics.SharedState(0, 0.0, None)
    return metrics.SharedState(backlog.pending, backlog.oldest_seconds, leader)
