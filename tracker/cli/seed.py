"""`tracker seed frameworks|playbook|demo`: built-in content and the demo organization."""

from __future__ import annotations

import click

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.seeding import demo, playbook
from tracker.seeding import frameworks as seeds


@click.group()
def seed() -> None:
    """Built-in content."""


@seed.command("frameworks")
def seed_frameworks() -> None:
    """Load the built-in frameworks (idempotent)."""
    for result in seeds.seed_frameworks():
        state = "loaded" if result.created else "already there"
        click.echo(f"{result.code} v{result.version}: {state}")


@seed.command("playbook")
def seed_playbook() -> None:
    """Load the built-in playbook of initiative templates (idempotent)."""
    try:
        result = playbook.seed_playbook()
    except TrackerError as error:
        fail(error)
    click.echo(f"playbook: {result.created} template(s) loaded, {result.existing} already there")


@seed.command("demo")
@click.option("--password", default=demo.DEMO_PASSWORD, show_default=True,
              help="Password of the demo users.")
def seed_demo(password: str) -> None:
    """Load the demo organizations NovaTechna, in English and in French (idempotent)."""
    seeds.seed_frameworks()
    try:
        playbook.seed_playbook()
        results = demo.load_demos(password)
    except TrackerError as error:
        fail(error)
    for result in results.values():
        click.echo(f"{result.organization}: {'loaded' if result.created else 'already there'} "
                   f"(organization id {result.org_id}).")
    primary = results[demo.PRIMARY_LANGUAGE]
    click.echo(f"Sign in as {primary.login} / {password} and open {primary.organization}.")
