"""Settings from environment variables (`TRACKER_*`), with defaults safe for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENV_PREFIX = "TRACKER_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_flag(name: str, default: str) -> bool:
    return (_env(name, default) or default).strip().lower() in {"on", "1", "true", "yes"}


def _persistent_secret(instance_path: Path) -> str:
    """A secret key kept in the instance folder, created on first use.

    Sessions then survive restarts without anyone having to invent a key, and no key is
    ever committed.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def settings_from_env(instance_path: Path) -> dict[str, Any]:
    """The Flask configuration read from the environment.

    | variable | default |
    |---|---|
    | TRACKER_DATABASE_URL | SQLite file `tracker.db` in the instance folder |
    | TRACKER_SECRET_KEY | a random key stored in the instance folder |
    | TRACKER_SMTP_HOST / _PORT / _USER / _PASSWORD / _TLS | none / 25 / none / none / off |
    | TRACKER_MAIL_FROM | tracker@localhost |
    | TRACKER_MAIL_DIR | `mail/` in the instance folder |
    | TRACKER_SCHEDULER | on |
    | TRACKER_BASE_URL | http://127.0.0.1:5000 |
    """
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'tracker.db'}"
    production = _env("ENV", "development") == "production"
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": _env("SECRET_KEY") or _persistent_secret(instance_path),
        "TRACKER_SMTP_HOST": _env("SMTP_HOST"),
        "TRACKER_SMTP_PORT": int(_env("SMTP_PORT", "25") or 25),
        "TRACKER_SMTP_USER": _env("SMTP_USER"),
        "TRACKER_SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "TRACKER_SMTP_TLS": (_env("SMTP_TLS", "off") or "off").lower(),
        "TRACKER_MAIL_FROM": _env("MAIL_FROM", "tracker@localhost"),
        "TRACKER_MAIL_DIR": _env("MAIL_DIR") or str(instance_path / "mail"),
        "TRACKER_SCHEDULER": _env_flag("SCHEDULER", "on"),
        "TRACKER_BASE_URL": (_env("BASE_URL", "http://127.0.0.1:5000") or "").rstrip("/"),
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
    }


BASE_CONFIG: dict[str, Any] = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "JSON_SORT_KEYS": False,
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "API_TITLE": "tracker",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    "WTF_CSRF_TIME_LIMIT": None,
    "TRACKER_PAGE_MAX": 200,
}


#: Where the project's data folders (`seeds/`, `migrations/`, `static/`) live: in a wheel they
#: ship inside the package under `tracker/_resources`; in a source checkout (editable install)
#: they are the repository's top-level folders. Either way they are found from the installed
#: package, never from the current working directory.
PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `name` (`seeds`, `migrations` or `static`) of the installed project."""
    bundled = PACKAGE_DIR / "_resources" / name
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / name
