"""The webhooks page (organization settings → Webhooks): the empty state names the next
step, adding one shows its secret once, bad fields are reported beside them, "send a test"
reaches a real HTTP server and the delivery log shows it, archiving, roles and tenancy."""

from __future__ import annotations

import re

import pytest

from tests.builders import add_member
from tests.integration.test_webhooks import Receiver
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.outbox import Webhook
from tracker.services.tenancy import accounts, organizations

PASSWORD = "a-long-enough-password-1"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def _sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def org_id(app, client) -> int:
    """An organization whose lead is signed in."""
    lead = accounts.create_user("lead@example.org", PASSWORD)
    org_id = organizations.create_organization(lead, {"name": "Acme"}).id
    _sign_in(client, "lead@example.org")
    return org_id


def _add(client, org_id: int, url: str, **fields):
    return client.post(f"/orgs/{org_id}/webhooks", data={
        "url": url, "events": ["decision.logged", "pilot.decided"], "format": "slack",
        **fields})


def test_the_settings_page_links_to_an_empty_webhooks_page(client, org_id):
    settings = client.get(f"/orgs/{org_id}/settings").text
    assert f'href="/orgs/{org_id}/webhooks"' in settings
    page = client.get(f"/orgs/{org_id}/webhooks")
    assert page.status_code == 200
    assert 'id="webhooks-empty"' in page.text and "Add one below" in page.text


def test_adding_a_webhook_shows_its_secret_once(client, org_id, receiver):
    response = _add(client, org_id, receiver.url)
    assert response.status_code == 201
    secret = re.search(r'<code id="secret-value">(\w+)</code>', response.text).group(1)
    webhook = db.session.scalar(db.select(Webhook))
    assert (webhook.secret, webhook.format, webhook.events) == (
        secret, "slack", ["pilot.decided", "decision.logged"])
    again = client.get(f"/orgs/{org_id}/webhooks").text
    assert secret not in again and secret[-4:] in again
    assert receiver.url in again


def test_bad_fields_are_reported_beside_them_with_the_input_kept(client, org_id):
    response = client.post(f"/orgs/{org_id}/webhooks", data={
        "url": "ftp://files.example.org", "format": "slack"})
    assert response.status_code == 422
    assert set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', response.text)) == {
        "url", "events"}
    assert 'value="ftp://files.example.org"' in response.text
    assert db.session.scalar(db.select(Webhook)) is None


def test_send_a_test_reaches_the_server_and_the_log_shows_it(client, org_id, receiver):
    _add(client, org_id, receiver.url)
    hook_id = db.session.scalar(db.select(Webhook.id))
    log = client.get(f"/orgs/{org_id}/webhooks/{hook_id}").text
    assert 'id="deliveries-empty"' in log and "Send a test" in log

    response = client.post(f"/orgs/{org_id}/webhooks/{hook_id}/test", follow_redirects=True)

    assert "The test message was received (HTTP 200)." in response.text
    assert len(receiver.requests) == 1
    row = re.search(r'<tr data-delivery="\d+" class="status-sent">(.*?)</tr>', response.text,
                    re.S).group(1)
    assert "Test message" in row and "<td>200</td>" in row


def test_a_failing_test_says_why(client, org_id, receiver):
    receiver.statuses = [500]
    _add(client, org_id, receiver.url)
    hook_id = db.session.scalar(db.select(Webhook.id))
    response = client.post(f"/orgs/{org_id}/webhooks/{hook_id}/test", follow_redirects=True)
    assert "did not get through: HTTP 500" in response.text
    assert 'class="status-pending"' in response.text  # retried by the outbox later


def test_archiving_needs_the_box_and_keeps_the_log(client, org_id, receiver):
    _add(client, org_id, receiver.url)
    hook_id = db.session.scalar(db.select(Webhook.id))
    refused = client.post(f"/orgs/{org_id}/webhooks/{hook_id}/archive", follow_redirects=True)
    assert "Check the box" in refused.text
    done = client.post(f"/orgs/{org_id}/webhooks/{hook_id}/archive", data={"confirm": "1"},
                       follow_redirects=True)
    assert 'id="webhooks-empty"' in done.text
    assert client.get(f"/orgs/{org_id}/webhooks/{hook_id}").status_code == 200


def test_viewers_and_other_organizations_are_kept_out(client, app, org_id, receiver):
    _add(client, org_id, receiver.url)
    hook_id = db.session.scalar(db.select(Webhook.id))
    accounts.create_user("viewer@example.org", PASSWORD)
    add_member(org_id, "viewer@example.org", "viewer")
    outsider = accounts.create_user("other@example.org", PASSWORD)
    other_id = organizations.create_organization(outsider, {"name": "Other"}).id
    client.post("/logout")

    _sign_in(client, "viewer@example.org")
    assert client.get(f"/orgs/{org_id}/webhooks").status_code == 403
    client.post("/logout")
    _sign_in(client, "other@example.org")
    assert client.get(f"/orgs/{org_id}/webhooks").status_code == 404
    assert client.get(f"/orgs/{other_id}/webhooks/{hook_id}").status_code == 404
    assert client.post(f"/orgs/{other_id}/webhooks/{hook_id}/test").status_code == 404
    assert db.session.get(Organization, other_id) is not None
    assert receiver.requests == []
