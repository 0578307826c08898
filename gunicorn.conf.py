"""gunicorn's settings for tracker (`gunicorn -c gunicorn.conf.py 'tracker:create_app()'`).

Workers: `WEB_CONCURRENCY` (gunicorn's own variable, default here 2), each with
`GUNICORN_THREADS` threads (4); `GUNICORN_BIND` (else `0.0.0.0:$PORT`, the platforms' port,
else `0.0.0.0:8000`), `GUNICORN_TIMEOUT` (60 s).
Logs: gunicorn's own lines take the application's format (`TRACKER_LOG_FORMAT`, JSON by
default) on stderr; no access log from gunicorn: the application writes one line per
request, with its request id. With `PROMETHEUS_MULTIPROC_DIR` set, the workers' metrics are
kept in that folder: it is emptied when gunicorn starts and a worker's files are marked dead
when it exits, so `/metrics` on any worker answers for all of them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from tracker.security.observability import logging_config

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = None
errorlog = "-"
logconfig_dict = logging_config((os.environ.get("TRACKER_LOG_FORMAT") or "json").lower(),
                                (os.environ.get("TRACKER_LOG_LEVEL") or "INFO").upper())


def on_starting(_server: Any) -> None:
    """Start from an empty multiprocess folder (the values of a previous run are stale)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(_server: Any, worker: Any) -> None:
    """A worker is gone: its live gauges no longer count."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
