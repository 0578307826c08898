"""tracker: transformation backlog and roadmap tracker.

`create_app` is the application factory; nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.config import BASE_CONFIG, resource_dir, settings_from_env
from tracker.extensions import csrf, db, login_manager, migrate
from tracker.schemas.common import use_path_converters


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, database, authentication, API, web pages, CLI.

    `config` overrides the environment (tests pass their database URL and TESTING here).
    """
    app = Flask(__name__, static_folder=str(resource_dir("static")), static_url_path="/static",
                instance_relative_config=True)
    app.config.update(BASE_CONFIG)
    app.config.update(settings_from_env(Path(app.instance_path)))
    app.config.update(config or {})
    use_path_converters(app.url_map)
    _init_database(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    from tracker import api, cli, security, web
    from tracker.adapters import templating
    from tracker.scheduler import init_app as init_scheduler

    templating.init_app(app)
    security.init_app(app)
    api.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    security.limits.guard_endpoints(app)  # once every endpoint exists
    init_scheduler(app)
    return app


def _init_database(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic; on SQLite, enforce foreign keys on every connection."""
    from tracker import models  # noqa: F401  (registers the mappers)
    from tracker.services import derived  # noqa: F401  (the data version's flush listener)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")),
                     render_as_batch=True, compare_type=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless told otherwise, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
