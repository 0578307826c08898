"""A real server for browser tests: the app served by werkzeug in a thread, on the test
database, with CSRF protection on (as in production)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tracker import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The base URL of a server answering on 127.0.0.1 (a free port) in a thread."""
    served = create_app({key: app.config[key] for key in
                         ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TRACKER_MAIL_DIR",
                          "TRACKER_WEBHOOK_ALLOW_PRIVATE")}
                        | {"TRACKER_SCHEDULER": False, "WTF_CSRF_ENABLED": True})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with served.app_context():
            from tracker.extensions import db

            db.engine.dispose()


@pytest.fixture
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
