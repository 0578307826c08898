"""Counting the SQL statements of a request (issue 20: query counts constant in N)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event

from tracker.extensions import db


def warm_get(client: FlaskClient, url: str, **options: Any) -> tuple[Any, int]:
    """GET `url` twice (the first warms the caches, as in use); the second answer and the
    number of SQL statements it sent (`before_cursor_execute`). Both must answer 200."""
    first = client.get(url, **options)
    assert first.status_code == 200, (url, first.status_code, first.text[:300])
    seen = [0]

    def counted(*_args: Any) -> None:
        seen[0] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.get(url, **options)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert response.status_code == 200, (url, response.status_code)
    return response, seen[0]
