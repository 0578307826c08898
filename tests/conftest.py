"""Shared fixtures: an app on a real database (SQLite, or PostgreSQL when
TRACKER_TEST_DATABASE_URL is set), a clean database per test, API clients per user."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.extensions import db
from tracker.services import derived

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _postgres_url(base_url: str, worker: str) -> str:
    """A database of its own for each xdist worker, created on first use."""
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def database_url(tmp_dir: Path, worker: str) -> str:
    """The database the tests run on."""
    base = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if base:
        return _postgres_url(base, worker)
    return f"sqlite:///{tmp_dir / f'test-{worker}.db'}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Tests keep an app context open to call services; without this, requests would share
    its `g` and its database session.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        outer = _cv_app.get(None)
        if outer is None:
            return super().open(*args, **kwargs)
        outer.pop()
        try:
            return super().open(*args, **kwargs)
        finally:
            outer.push()


@pytest.fixture(scope="session")
def worker(request: pytest.FixtureRequest) -> str:
    """The pytest-xdist worker's id (`gw0`, ...), or `master` without xdist, so the suite
    also runs with `-p no:xdist`."""
    workerinput: dict[str, Any] = getattr(request.config, "workerinput", {})
    return str(workerinput.get("workerid", "master"))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, worker: str) -> Iterator[Flask]:
    """One application for the session; tables are created once."""
    tmp = tmp_path_factory.mktemp("instance")
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp, worker),
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "TRACKER_MAIL_DIR": str(tmp / "mail"),
        "TRACKER_SCHEDULER": False,
        "TRACKER_BASE_URL": "http://tracker.test",
        "TRACKER_WEBHOOK_ALLOW_PRIVATE": True,  # the tests' receivers listen on 127.0.0.1
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each database test starts from empty tables and its own app context."""
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        _empty_tables()
        yield
        db.session.remove()


def _empty_tables() -> None:
    derived.clear()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class ApiClient:
    """A test client that sends a user's Bearer token and JSON bodies."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("PUT", path, json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("PATCH", path, json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def make_api(client: FlaskClient):
    """Build an ApiClient for a new user: `make_api("ann@x.org", admin=False)`."""
    from tracker.services.tenancy import accounts

    def build(email: str, *, admin: bool = False) -> ApiClient:
        user = accounts.create_user(email, "correct horse battery", admin=admin)
        _, secret = accounts.create_token(user)
        return ApiClient(client, secret)

    return build


@pytest.fixture
def lead(make_api) -> ApiClient:
    return make_api("lead@example.org")


@pytest.fixture
def admin(make_api) -> ApiClient:
    return make_api("admin@example.org", admin=True)
