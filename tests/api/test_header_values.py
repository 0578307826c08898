"""What becomes an email header is checked at the edge (422, naming the field): an
organization's name, a schedule's recipients and time zone. A schedule whose stored
time zone is unknown is read (200), in UTC and with a warning."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization

BROKEN_LINES = ["Acme\r\nBcc: victim@evil.test", "Acme\nX", "Acme\tCo", "Acme\u2028Co",
                "Acme\x1b[31m", "Acme\x85Co"]


@pytest.mark.parametrize("name", BROKEN_LINES)
def test_an_organization_name_must_be_a_single_line(lead, name):
    response = lead.post("/api/v1/orgs", json={"name": name})
    assert response.status_code == 422, response.json
    assert response.json["errors"]["name"] == [
        "Name must be a single line: no line break, tab or other control character."]
    org = lead.post("/api/v1/orgs", json={"name": "Acme & Co"}).json
    assert org["name"] == "Acme & Co"
    assert lead.patch(f"/api/v1/orgs/{org['id']}", json={"name": name}).status_code == 422


@pytest.mark.parametrize("recipient", [
    "a@example.org\r\nBcc: victim@evil.test", "a@example.org, victim@evil.test",
    "Ann <a@example.org>", "a@exam\u2028ple.org"])
def test_schedule_recipients_are_single_addresses(lead, admin, recipient):
    url = Scenario(lead, admin).url("/schedules")
    body = {"kind": "barometer", "cron": "0 8 * * *", "recipients": [recipient]}
    response = lead.post(url, json=body)
    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"recipients[0]": ["Not a valid email address."]}
    created = lead.post(url, json={**body, "recipients": ["a@example.org"]}).json
    assert lead.patch(f"{url}/{created['id']}", json={"recipients": [recipient]}
                      ).status_code == 422


@pytest.mark.parametrize("zone", ["Bad/Zone", "../../etc/passwd", "", "utc "])
def test_a_schedule_time_zone_is_an_iana_name(lead, admin, zone):
    url = Scenario(lead, admin).url("/schedules")
    body = {"kind": "close", "cron": "0 8 * * *"}
    assert lead.post(url, json={**body, "timezone": zone}).status_code == 422
    created = lead.post(url, json={**body, "timezone": "Europe/Paris"}).json
    assert created["timezone"] == "Europe/Paris"
    response = lead.patch(f"{url}/{created['id']}", json={"timezone": zone})
    assert response.status_code == 422
    assert "timezone" in response.json["errors"]


def test_a_schedule_of_an_organization_with_an_unknown_stored_zone_reads_in_utc(lead, admin):
    scenario = Scenario(lead, admin)
    url = scenario.url("/schedules")
    created = lead.post(url, json={"kind": "close", "cron": "0 8 * * *"}).json
    db.session.execute(update(Organization).where(Organization.id == scenario.org["id"])
                       .values(timezone="Bad/Zone"))
    db.session.commit()
    for response in (lead.get(f"{url}/{created['id']}"), lead.get(url)):
        assert response.status_code == 200, response.json
    read = lead.get(f"{url}/{created['id']}").json
    assert read["timezone"] == "UTC" and read["next_run_at"].endswith("+00:00")
    assert read["warning"] == ("Unknown time zone Bad/Zone: UTC is used instead. Choose a "
                               "valid time zone.")
    assert (read["last_error"], read["last_error_at"]) == (None, None)
