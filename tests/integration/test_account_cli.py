"""The account commands (issue 13, finding 7): the password rule on the command line,
`tracker users password`, and tokens that expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ApiToken
from tracker.models.base import utcnow
from tracker.services.tenancy import accounts, sessions


def test_a_common_password_is_refused_with_the_reason(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "ann@example.org",
                                                "--password", "password1234"])
    assert result.exit_code != 0
    assert "password: This password is among the most common ones" in result.output
    assert accounts.find_user("ann@example.org") is None


def test_users_password_sets_it_and_signs_the_user_out(app):
    user = accounts.create_user("ann@example.org", "correct horse battery")
    secret = sessions.start_session(user)
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "password", "ann@example.org", "--password", "ann"])
    assert weak.exit_code != 0 and "12 characters" in weak.output
    done = runner.invoke(args=["users", "password", "ann@example.org",
                               "--password", "a brand new passphrase"])
    assert done.exit_code == 0, done.output
    assert accounts.authenticate("ann@example.org", "a brand new passphrase") is not None
    assert sessions.user_for_session(secret, app.config) is None
    unknown = runner.invoke(args=["users", "password", "bob@example.org", "--password", "x"])
    assert unknown.exit_code != 0 and "No user" in unknown.output


def test_tokens_create_takes_fewer_days(app):
    accounts.create_user("ann@example.org", "correct horse battery")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "ann@example.org",
                                                "--days", "3"])
    assert result.exit_code == 0, result.output
    expires = db.session.scalar(select(ApiToken.expires_at))
    assert timedelta(days=2) < expires - utcnow() <= timedelta(days=3)
