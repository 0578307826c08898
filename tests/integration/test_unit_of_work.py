"""The unit of work nests: only the outermost block commits, and a failure anywhere inside
rolls the whole back, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import User
from tracker.services.unit_of_work import TransactionAborted, transaction


def _user(email: str) -> User:
    return User(email=email, name=email.split("@")[0], password_hash="x")


def _stored_emails(app: Flask) -> set[str]:
    """What another connection sees: only committed rows."""
    with db.engine.connect() as connection:
        return set(connection.scalars(select(User.email)))


def test_an_inner_block_commits_nothing_until_the_outermost_ends(app: Flask) -> None:
    with transaction() as session:
        session.add(_user("outer@example.com"))
        with transaction() as inner:
            inner.add(_user("inner@example.com"))
        session.flush()
        assert _stored_emails(app) == set()
    assert _stored_emails(app) == {"outer@example.com", "inner@example.com"}


def test_a_failing_inner_block_rolls_back_the_whole(app: Flask) -> None:
    with pytest.raises(ValueError), transaction() as session:
        session.add(_user("outer@example.com"))
        with transaction() as inner:
            inner.add(_user("inner@example.com"))
            raise ValueError("inner failure")
    assert _stored_emails(app) == set()
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_outer_block_that_swallows_an_inner_failure_saves_nothing(app: Flask) -> None:
    with pytest.raises(TransactionAborted), transaction() as session:
        session.add(_user("before@example.com"))
        try:
            with transaction() as inner:
                inner.add(_user("inner@example.com"))
                raise ValueError("inner failure")
        except ValueError:
            pass
        session.add(_user("after@example.com"))
    assert _stored_emails(app) == set()


def test_the_next_unit_of_work_starts_clean_after_an_abort(app: Flask) -> None:
    with pytest.raises(TransactionAborted), transaction():
        try:
            with transaction():
                raise ValueError("inner failure")
        except ValueError:
            pass
    with transaction() as session:
        session.add(_user("next@example.com"))
    assert _stored_emails(app) == {"next@example.com"}


def test_sequential_blocks_commit_each(app: Flask) -> None:
    with transaction() as session:
        session.add(_user("first@example.com"))
    assert _stored_emails(app) == {"first@example.com"}
    with pytest.raises(RuntimeError), transaction() as session:
        session.add(_user("second@example.com"))
        raise RuntimeError("second fails")
    assert _stored_emails(app) == {"first@example.com"}
