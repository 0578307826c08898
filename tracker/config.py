"""Settings from environment variables (`TRACKER_*`), with defaults safe for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENV_PREFIX = "TRACKER_"
#: The rate limits one may set (`TRACKER_RATELIMIT_<NAME>`, e.g. `10/minute;50/hour`).
RATE_LIMIT_NAMES = ("SIGNIN", "TOKENS", "RESET", "INVITE", "ACCEPT", "SURVEY")


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
    | TRACKER_ENV | development (`production`: HSTS and `Secure` cookies) |
    | TRACKER_INVITATION_DAYS | 14 (how long an invitation link works) |
    | TRACKER_RATELIMIT | on (the anti-automation rate limits; off in tests unless enabled) |
    | TRACKER_RATELIMIT_STORAGE_URL | TRACKER_REDIS_URL, else `memory://` (one process) |
    | TRACKER_RATELIMIT_SIGNIN / _TOKENS / _RESET / _INVITE / _ACCEPT / _SURVEY | see `limits` |
    | TRACKER_MAX_DOCUMENT_BYTES | 2 MiB (a posted framework or playbook document) |
    | TRACKER_RATINGS_IMPORT_MAX_ROWS / _MAX_BYTES | 5000 / 5 MiB (one ratings CSV file) |
    | TRACKER_SESSION_IDLE_MINUTES / _MAX_DAYS | 480 / 7 (a web session's idle, absolute limit) |
    | TRACKER_TOKEN_DAYS | 90 (the lifetime of a new API token, and its maximum) |
    | TRACKER_PASSWORD_RESET_MINUTES | 60 (how long a password reset link works) |
    | TRACKER_REDIS_URL | none (set: rate limits and background jobs on Redis, RQ workers) |
    | TRACKER_JOB_IMPORT_ROWS | 2000 (an import with more rows runs as a background job) |
    | TRACKER_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET | none (set all three: OIDC sign-in) |
    | TRACKER_OIDC_NAME / _SCOPES | "single sign-on" / "openid email profile" |
    | TRACKER_LOG_FORMAT / TRACKER_LOG_LEVEL | json / INFO (`text` for a console) |
    | TRACKER_PROXY_FIX | none (e.g. `1` or `for=1,proto=1,host=1`: proxies trusted) |
    | TRACKER_WEBHOOK_TIMEOUT | 10 (seconds one webhook call may take) |
    | TRACKER_WEBHOOK_ALLOW_PRIVATE | off (on: webhooks may call loopback and private addresses) |
    | TRACKER_READY_OUTBOX_SECONDS | 900 (`/ready` fails when the oldest pending message is older) |
    | TRACKER_METRICS_TOKEN | none (set: `/metrics` needs `Authorization: Bearer <token>`) |
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
        "TRACKER_INVITATION_DAYS": int(_env("INVITATION_DAYS", "14") or 14),
        "TRACKER_RATELIMIT": _env_flag("RATELIMIT", "on"),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL") or _env("REDIS_URL")
        or "memory://",
        **{f"TRACKER_RATELIMIT_{name}": value for name in RATE_LIMIT_NAMES
           if (value := _env(f"RATELIMIT_{name}"))},
        "TRACKER_MAX_DOCUMENT_BYTES": int(_env("MAX_DOCUMENT_BYTES") or 2 * 1024 * 1024),
        "TRACKER_RATINGS_IMPORT_MAX_ROWS": int(_env("RATINGS_IMPORT_MAX_ROWS") or 5000),
        "TRACKER_RATINGS_IMPORT_MAX_BYTES": int(_env("RATINGS_IMPORT_MAX_BYTES")
                                                or 5 * 1024 * 1024),
        "TRACKER_SESSION_IDLE_MINUTES": int(_env("SESSION_IDLE_MINUTES", "480") or 480),
        "TRACKER_SESSION_MAX_DAYS": int(_env("SESSION_MAX_DAYS", "7") or 7),
        "TRACKER_TOKEN_DAYS": int(_env("TOKEN_DAYS", "90") or 90),
        "TRACKER_PASSWORD_RESET_MINUTES": int(_env("PASSWORD_RESET_MINUTES", "60") or 60),
        "TRACKER_REDIS_URL": _env("REDIS_URL"),
        "TRACKER_JOB_IMPORT_ROWS": int(_env("JOB_IMPORT_ROWS") or 2000),
        "TRACKER_OIDC_ISSUER": (_env("OIDC_ISSUER") or "").rstrip("/") or None,
        "TRACKER_OIDC_CLIENT_ID": _env("OIDC_CLIENT_ID"),
        "TRACKER_OIDC_CLIENT_SECRET": _env("OIDC_CLIENT_SECRET"),
        "TRACKER_OIDC_NAME": _env("OIDC_NAME"),
        "TRACKER_OIDC_SCOPES": _env("OIDC_SCOPES", "openid email profile"),
        "TRACKER_LOG_FORMAT": (_env("LOG_FORMAT", "json") or "json").lower(),
        "TRACKER_LOG_LEVEL": (_env("LOG_LEVEL", "INFO") or "INFO").upper(),
        "TRACKER_PROXY_FIX": _env("PROXY_FIX"),
        "TRACKER_WEBHOOK_TIMEOUT": float(_env("WEBHOOK_TIMEOUT") or 10),
        "TRACKER_WEBHOOK_ALLOW_PRIVATE": _env_flag("WEBHOOK_ALLOW_PRIVATE", "off"),
        "TRACKER_READY_OUTBOX_SECONDS": float(_env("READY_OUTBOX_SECONDS") or 900),
        "TRACKER_METRICS_TOKEN": _env("METRICS_TOKEN"),
        "TRACKER_ENV": _env("ENV", "development"),
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
