"""The `tracker` command, run as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization, Rating
from tracker.services.tenancy import accounts

TRACKER = str(Path(sys.executable).with_name("tracker"))


def test_users_and_tokens_are_created_from_the_command_line(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["users", "create", "ann@example.org", "--password",
                                  "long enough password", "--admin"])
    assert created.exit_code == 0, created.output
    assert accounts.find_user("ann@example.org").is_admin

    token = runner.invoke(args=["tokens", "create", "ann@example.org"])
    secret = token.output.strip().splitlines()[-1]
    assert accounts.user_for_token(secret).email == "ann@example.org"


def test_a_short_password_is_refused_with_the_reason(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "ann@example.org",
                                                "--password", "short"])
    assert result.exit_code != 0
    assert "password" in result.output


def test_seeding_is_idempotent_and_the_demo_tells_its_story(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
    assert "already there" in result.output
    # the demo in English and the same organization in French, each once
    assert db.session.scalar(select(func.count(Organization.id))) == 2
    assert {f.code for f in db.session.scalars(select(Framework))} >= {"pom-grid", "tom-layers"}
    assessments = db.session.scalars(select(Assessment).order_by(Assessment.id)).all()
    # per demo: the pom-grid diagnostic and pulse, then the tom-layers diagnostic
    assert [a.kind for a in assessments] == ["diagnostic", "pulse", "diagnostic"] * 2
    assert all(a.status == "closed" for a in assessments)
    assert db.session.scalar(select(func.count(Rating.id))) >= 12 * 32


def test_framework_import_names_the_bad_field(app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\nname: X\nscale: [{value: 1, label: One}]\naxes: []\n")
    result = app.test_cli_runner().invoke(args=["frameworks", "import", str(bad)])
    assert result.exit_code != 0
    assert "scale" in result.output and "axes" in result.output


@pytest.mark.skipif("TRACKER_TEST_DATABASE_URL" in os.environ,
                    reason="uses its own SQLite file")
def test_upgrade_and_seed_work_from_any_directory(tmp_path):
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TRACKER_SECRET_KEY": "x"}
    for command in (["db", "upgrade"], ["seed", "frameworks"]):
        done = subprocess.run([TRACKER, *command], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
    assert "pom-grid v1: loaded" in done.stdout
