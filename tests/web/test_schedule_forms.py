"""The schedule form of the demo organization (Europe/Paris): every kind created and edited,
the cron helper's words and next runs in the organization's time zone (the scheduler's own
engine, standard days of the week: 1 is Monday), a bad cron or address named beside its
field with the input kept (422), roles and tenancy; the barometer resent to one recipient;
the pilot effect and the small-group rule on the barometer page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from sqlalchemy import select

from tests.web.test_pages import sign_in
from tracker.extensions import db
from tracker.models import Organization, Schedule
from tracker.models.outbox import OutboxMessage
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.follow import cron_words, outbox, schedules
from tracker.services.tenancy import accounts, organizations

PARIS = ZoneInfo("Europe/Paris")
SPONSOR = "sponsor@novatechna.example"
OPS = "ops@novatechna.example"


@pytest.fixture
def demo_org(app) -> Organization:
    seeds.seed_frameworks()
    return db.session.get(Organization, demo.load_demo().org_id)


def _url(org: Organization, tail: str = "") -> str:
    return f"/orgs/{org.id}/schedules{tail}"


def shown(moment: datetime, zone: ZoneInfo = PARIS) -> str:
    """How the page writes a moment in English in `zone`, with the zone's name."""
    return f"{format_datetime(moment.astimezone(zone), format='short', locale='en')} {zone.key}"


def mondays_at_nine(zone: ZoneInfo, count: int = 5) -> list[datetime]:
    """The next `count` Mondays at 09:00 in `zone` after now, counted on the calendar."""
    now = datetime.now(zone)
    day = now.date() + timedelta(days=(7 - now.weekday()) % 7)  # Monday is weekday 0
    first = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
    if first <= now:
        first += timedelta(days=7)
    return [datetime.combine(first.date() + timedelta(weeks=k), first.timetz())
            for k in range(count)]


def _barometer(org: Organization) -> Schedule:
    return db.session.scalar(select(Schedule).where(Schedule.org_id == org.id,
                                                    Schedule.kind == "barometer"))


def _stored(schedule_id: int) -> Schedule:
    """The schedule as stored now (the requests ran in sessions of their own)."""
    db.session.expire_all()
    return db.session.get(Schedule, schedule_id)


FORM = {"kind": "barometer", "cron": "", "interval_days": "", "timezone": "", "others": "",
        "close_after_days": "", "action": "save"}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"kind": "pulse", "interval_days": "90"},
     {"kind": "pulse", "interval_days": 90, "cron": None, "recipients": []}),
    ({"kind": "reminder", "cron": "0 8 * * 1", "timezone": "America/New_York"},
     {"kind": "reminder", "cron": "0 8 * * 1", "timezone": "America/New_York"}),
    ({"kind": "close", "cron": "0 18 * * 5", "close_after_days": "10"},
     {"kind": "close", "close_after_days": 10, "timezone": None}),
    ({"kind": "barometer", "cron": "0 9 * * 1", "members": [SPONSOR, OPS],
      "others": "board@novatechna.example, cfo@novatechna.example"},
     {"kind": "barometer", "recipients": [SPONSOR, OPS, "board@novatechna.example",
                                          "cfo@novatechna.example"]}),
])
def test_ops_create_every_kind_of_schedule(client, demo_org, fields, expected):
    before = db.session.scalar(select(db.func.count(Schedule.id)))
    sign_in(client, "ops")
    assert 'id="new-schedule"' in client.get(_url(demo_org)).text
    assert client.get(_url(demo_org, "/new")).status_code == 200

    response = client.post(_url(demo_org, "/new"), data={**FORM, **fields})

    assert response.status_code == 303, response.text
    created = db.session.scalar(select(Schedule).order_by(Schedule.id.desc()).limit(1))
    assert db.session.scalar(select(db.func.count(Schedule.id))) == before + 1
    assert created.org_id == demo_org.id
    for key, value in expected.items():
        assert getattr(created, key) == value, key
    assert "Schedule saved" in client.get(_url(demo_org)).text


def test_a_bad_cron_and_a_bad_address_are_named_beside_their_fields(client, demo_org):
    before = db.session.scalar(select(db.func.count(Schedule.id)))
    sign_in(client, "lead")

    response = client.post(_url(demo_org, "/new"), data={
        **FORM, "cron": "61 9 * * 1", "timezone": "Mars/Olympus", "members": [SPONSOR],
        "others": "board@novatechna.example\nbob@", "close_after_days": "0"})

    assert response.status_code == 422
    page = response.text
    cron_error = page.split('id="cron-error">')[1].split("</p>")[0]
    assert "61 9 * * 1" in cron_error and "59" in cron_error  # the minute's maximum
    assert "Not a valid email address: bob@." in page.split('id="others-error">')[1]
    assert "board@novatechna.example" not in page.split('id="others-error">')[1].split("</p>")[0]
    assert 'id="timezone-error"' in page
    assert 'id="close_after_days-error"' in page
    # the input is kept
    assert 'value="61 9 * * 1"' in page and "board@novatechna.example\nbob@</textarea>" in page
    assert f'<option value="{SPONSOR}" selected>' in page
    assert db.session.scalar(select(db.func.count(Schedule.id))) == before


def test_neither_cron_nor_interval_is_refused(client, demo_org):
    sign_in(client, "ops")
    response = client.post(_url(demo_org, "/new"), data={**FORM, "kind": "pulse"})
    assert response.status_code == 422
    assert 'id="cron-error"' in response.text


def test_preview_shows_the_words_and_the_next_five_runs_in_the_organization_zone(
        client, demo_org):
    before = db.session.scalar(select(db.func.count(Schedule.id)))
    sign_in(client, "ops")

    response = client.post(_url(demo_org, "/new"), data={
        **FORM, "cron": "0 9 * * 1", "action": "preview"})

    assert response.status_code == 200
    page = response.text
    assert "Every Monday, at 9:00\u202fAM." in page or "Every Monday, at 9:00 AM." in page
    runs = page.split('<ol id="preview-runs">')[1].split("</ol>")[0]
    assert runs.count("<li>") == 5
    for monday in mondays_at_nine(PARIS):
        assert f"<li>{shown(monday)}</li>" in runs
    assert 'value="0 9 * * 1"' in page  # still the form, nothing saved
    assert db.session.scalar(select(db.func.count(Schedule.id))) == before


def test_next_runs_keep_nine_oclock_in_paris_across_the_change_to_summer_time(demo_org):
    # Paris moves from UTC+1 to UTC+2 on Sunday 28 March 2027: 09:00 on the Mondays before
    # is 08:00 UTC, and 07:00 UTC from 29 March on. 20 March 2027 is a Saturday.
    runs = schedules.upcoming_runs(demo_org, {"cron": "0 9 * * 1"},
                                   now=datetime(2027, 3, 20, 12, tzinfo=UTC))
    assert [run.astimezone(UTC) for run in runs] == [
        datetime(2027, 3, 22, 8, tzinfo=UTC), datetime(2027, 3, 29, 7, tzinfo=UTC),
        datetime(2027, 4, 5, 7, tzinfo=UTC), datetime(2027, 4, 12, 7, tzinfo=UTC),
        datetime(2027, 4, 19, 7, tzinfo=UTC)]
    assert {(run.astimezone(PARIS).hour, run.astimezone(PARIS).weekday()) for run in runs} == {
        (9, 0)}


def test_the_day_of_week_has_its_standard_meaning(demo_org):
    # 0 and 7 are Sunday, 1-5 Monday to Friday (APScheduler alone reads 1 as Tuesday)
    saturday = datetime(2027, 3, 20, 12, tzinfo=UTC)
    sundays = schedules.upcoming_runs(demo_org, {"cron": "0 9 * * 0"}, 2, now=saturday)
    assert [r.date() for r in sundays] == [date(2027, 3, 21), date(2027, 3, 28)]
    assert schedules.upcoming_runs(demo_org, {"cron": "0 9 * * 7"}, 1, now=saturday) == \
        sundays[:1]
    week = schedules.upcoming_runs(demo_org, {"cron": "0 9 * * 1-5"}, 5, now=saturday)
    assert [r.date().day for r in week] == [22, 23, 24, 25, 26]


def test_the_json_preview_gives_the_runs_in_the_zone_asked_or_the_errors(client, demo_org):
    sign_in(client, "ops")
    new_york = ZoneInfo("America/New_York")

    answer = client.get(_url(demo_org, "/preview"), query_string={
        "cron": "0 9 * * 1", "timezone": "America/New_York"})

    assert answer.status_code == 200
    assert answer.json["timezone"] == "America/New_York"
    assert answer.json["runs"] == [shown(m, new_york) for m in mondays_at_nine(new_york)]
    assert answer.json["description"].startswith("Every Monday")
    refused = client.get(_url(demo_org, "/preview"), query_string={"cron": "0 9 * *"})
    assert refused.status_code == 422
    assert "0 9 * *" in refused.json["errors"]["cron"][0]


def test_a_lead_edits_a_schedule_with_its_settings_filled_in(client, demo_org):
    barometer, url = _barometer(demo_org), _url(demo_org)
    sign_in(client, "lead")
    form = client.get(f"{url}/{barometer.id}/edit").text
    assert 'value="0 8 1 1,4,7,10 *"' in form
    assert f'<option value="{SPONSOR}" selected>' in form

    response = client.post(f"{url}/{barometer.id}/edit", data={
        **FORM, "cron": "0 7 2 1,4,7,10 *", "members": [SPONSOR], "paused": "1"})

    assert response.status_code == 303, response.text
    barometer = _stored(barometer.id)
    assert (barometer.cron, barometer.recipients, barometer.paused) == (
        "0 7 2 1,4,7,10 *", [SPONSOR], True)


def test_a_refused_edit_keeps_the_input_and_the_schedule(client, demo_org):
    barometer_id = _barometer(demo_org).id
    sign_in(client, "ops")
    response = client.post(_url(demo_org, f"/{barometer_id}/edit"), data={
        **FORM, "cron": "0 25 * * *", "members": [SPONSOR]})
    assert response.status_code == 422
    assert 'value="0 25 * * *"' in response.text and 'id="cron-error"' in response.text
    assert _stored(barometer_id).cron == "0 8 1 1,4,7,10 *"


@pytest.mark.parametrize("who", ["contributor", "sponsor"])
def test_contributors_and_viewers_may_not_create_or_edit(client, demo_org, who):
    barometer = _barometer(demo_org)
    sign_in(client, who)
    assert 'id="new-schedule"' not in client.get(_url(demo_org)).text
    assert client.get(_url(demo_org, "/new")).status_code == 403
    assert client.post(_url(demo_org, "/new"), data={**FORM, "cron": "0 9 * * 1"}
                       ).status_code == 403
    assert client.get(_url(demo_org, f"/{barometer.id}/edit")).status_code == 403
    assert client.get(_url(demo_org, "/preview"), query_string={"cron": "0 9 * * 1"}
                      ).status_code == 403


def test_another_organization_gets_404(client, demo_org):
    barometer_id, mine = _barometer(demo_org).id, _url(demo_org, "/new")
    outsider = accounts.create_user("out@elsewhere.example", demo.DEMO_PASSWORD)
    other_id = organizations.create_organization(outsider, {"name": "Elsewhere"}).id
    response = client.post("/login", data={"email": "out@elsewhere.example",
                                           "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302

    assert client.get(mine).status_code == 404
    assert client.get(f"/orgs/{other_id}/schedules/new").status_code == 200
    elsewhere = f"/orgs/{other_id}/schedules"
    assert client.get(f"{elsewhere}/{barometer_id}/edit").status_code == 404
    assert client.post(f"{elsewhere}/{barometer_id}/edit", data={
        **FORM, "cron": "0 9 * * 1"}).status_code == 404
    assert client.get(f"{elsewhere}/preview", query_string={
        "interval_days": "7", "schedule_id": barometer_id}).status_code == 404
    # a member of another organization is no member here
    refused = client.post(f"{elsewhere}/new", data={
        **FORM, "cron": "0 9 * * 1", "members": [SPONSOR]})
    assert refused.status_code == 422 and SPONSOR in refused.text.split(
        'id="members-error">')[1]
    assert _stored(barometer_id).cron == "0 8 1 1,4,7,10 *"


def test_ops_resend_the_barometer_to_one_recipient(app, client, demo_org):
    barometer_id, url = _barometer(demo_org).id, _url(demo_org)
    schedules.run_schedule(demo_org, barometer_id, app.config)
    outbox.deliver_pending(app.config)
    sign_in(client, "ops")
    assert f'<option value="{SPONSOR}">{SPONSOR}</option>' in client.get(url).text

    response = client.post(f"{url}/{barometer_id}/resend", data={"to": SPONSOR},
                           follow_redirects=True)

    assert "queued for 1 recipient. Queued for: " + SPONSOR + "." in response.text
    db.session.expire_all()
    messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert len(messages) == 3  # two sent by the run, one resent
    assert messages[-1].recipient == SPONSOR and messages[-1].status == "pending"
    stranger = client.post(f"{url}/{barometer_id}/resend",
                           data={"to": "nobody@novatechna.example"}, follow_redirects=True)
    assert "nobody@novatechna.example is not a recipient of this schedule." in stranger.text
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 3


def test_the_barometer_shows_each_pilot_effect_and_the_progress_definition(client, demo_org):
    sign_in(client, "sponsor")
    page = client.get(f"/orgs/{demo_org.id}/barometer").text
    assert 'id="pilot-effects"' in page
    assert "Progress to target: the share of the way" in page.split('id="progress-help">')[1]
    # the demo's two pilots, re-assessed by the Q3 pulse against the initial diagnostic
    row = page.split('id="effect-1-2"')[1].split("</tr>")[0]
    assert "3 respondents" in row and "9 respondents" in row


def test_a_group_under_the_minimum_size_shows_no_mean_and_says_why(client, demo_org):
    demo_org.min_group_size = 4  # the pilot teams have 3 respondents each
    org_id = demo_org.id
    db.session.commit()
    sign_in(client, "lead")
    page = client.get(f"/orgs/{org_id}/barometer").text
    row = page.split('id="effect-1-2"')[1].split("</tr>")[0]
    assert row.count("too small") == 2  # pilot now and pilot before; the rest has 9
    reason = page.split('id="effect-reason-1-2">')[1].split("</td>")[0]
    assert ("Pilot teams, now: 3 respondent(s), under the minimum of 4; pilot teams, before "
            "the start: 3 respondent(s), under the minimum of 4.") in reason


@pytest.mark.parametrize(("cron", "words"), [
    ("0 8 1 1,4,7,10 *", "On day 1 of the month, in January, April, July, and October, at "
                         "8:00\u202fAM."),
    ("*/15 * * * *", "Every 15 minutes."),
    ("0 9 * * 1-5", "Every Monday, Tuesday, Wednesday, Thursday, and Friday, at 9:00\u202fAM."),
    ("5 4 * * 0", "Every Sunday, at 4:05\u202fAM."),
    ("0 9 L * *", "Cron expression 0 9 L * * (minute, hour, day of the month, month, day of "
                  "the week)."),
])
def test_the_helper_puts_common_crons_in_words(app, cron, words):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert cron_words.describe(cron).replace(" AM", "\u202fAM") == words
