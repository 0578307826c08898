"""The initiative lifecycle through the API: status moves carry their actual dates, raters
add to the owner's inputs and never erase them, history is kept (archive, restore, delete
only without history, adoption once per template), the backlog hides what is over, and the
service's field errors answer together. Numbers by hand from DESIGN section 3."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Assessment

#: UTC+14: for most of the day its date is not UTC's, so a date taken in UTC shows.
TZ = "Pacific/Kiritimati"
START = "2027-01-04"  # a Monday: the plan's start in the roadmap checks


def local_today(zone: str = TZ) -> str:
    return datetime.now(ZoneInfo(zone)).date().isoformat()


@pytest.fixture
def s(lead, admin) -> Scenario:
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"timezone": TZ}).status_code == 200
    return scenario


def make(api, scenario, **fields) -> int:
    response = api.post(scenario.url("/initiatives"), json={"title": "x", **fields})
    assert response.status_code == 201, response.json
    return response.json["id"]


def patch(api, scenario, initiative_id, **fields):
    return api.patch(scenario.url(f"/initiatives/{initiative_id}"), json=fields)


def wsjf(value: float, job_size: float = 1, **fields):
    """Inputs giving a WSJF score of value / job_size."""
    return {"business_value": value, "time_criticality": 0, "risk_reduction": 0,
            "job_size": job_size, **fields}


# ------------------------------------------------------------------ status moves and dates

def test_moving_to_in_progress_then_done_sets_the_dates_on_the_organizations_calendar(
        s, lead):
    i = make(lead, s, status="approved", duration_weeks=4)

    started = patch(lead, s, i, status="in_progress")
    assert started.status_code == 200, started.json
    assert (started.json["actual_start"], started.json["actual_end"]) == (local_today(), None)

    done = patch(lead, s, i, status="done")
    assert done.status_code == 200, done.json
    assert (done.json["actual_start"], done.json["actual_end"]) == (local_today(),) * 2
    trail = lead.get(s.url(f"/initiatives/{i}/audit")).json["items"]
    assert trail[1]["changes"]["actual_start"] == [None, local_today()]
    assert trail[2]["changes"]["actual_end"] == [None, local_today()]


def test_given_dates_are_kept_and_an_end_before_the_start_is_a_field_error(s, lead):
    i = make(lead, s, status="approved")
    assert patch(lead, s, i, status="in_progress",
                 actual_start="2026-03-02").json["actual_start"] == "2026-03-02"

    early = patch(lead, s, i, status="done", actual_end="2026-03-01")
    assert early.status_code == 422
    assert early.json["errors"] == {"actual_end": [
        "Must not be before the actual start (2026-03-02)."]}
    same_day = patch(lead, s, i, status="done", actual_end="2026-03-02")
    assert same_day.status_code == 200 and same_day.json["actual_end"] == "2026-03-02"
    cleared = patch(lead, s, i, actual_start=None)
    assert cleared.status_code == 422 and list(cleared.json["errors"]) == ["actual_start"]


def test_creating_an_initiative_done_sets_both_dates_unless_given(s, lead):
    created = lead.post(s.url("/initiatives"), json={"title": "Old work", "status": "done"})
    assert (created.json["actual_start"], created.json["actual_end"]) == (local_today(),) * 2
    dated = lead.post(s.url("/initiatives"), json={
        "title": "Older", "status": "done", "actual_start": "2026-01-05",
        "actual_end": "2026-02-06"}).json
    assert (dated["actual_start"], dated["actual_end"]) == ("2026-01-05", "2026-02-06")
    proposed = lead.post(s.url("/initiatives"), json={"title": "Idea"}).json
    assert (proposed["actual_start"], proposed["actual_end"]) == (None, None)


def test_importing_initiatives_under_way_or_done_gives_them_their_dates(s, lead):
    response = lead.post(s.url("/initiatives/import"), json={"initiatives": [
        {"ref": "done", "title": "Old work", "status": "done", "duration_weeks": 2},
        {"ref": "going", "title": "Going on", "status": "in_progress", "duration_weeks": 3},
        {"ref": "dated", "title": "Dated", "status": "done", "actual_start": "2026-01-05",
         "actual_end": "2026-02-06"},
        {"ref": "idea", "title": "Idea"}], "dependencies": []})
    assert response.status_code == 201, response.json
    read = {ref: lead.get(s.url(f"/initiatives/{initiative_id}")).json
            for ref, initiative_id in response.json["ids"].items()}
    dates = {ref: (item["actual_start"], item["actual_end"]) for ref, item in read.items()}
    assert dates == {"done": (local_today(), local_today()), "going": (local_today(), None),
                     "dated": ("2026-01-05", "2026-02-06"), "idea": (None, None)}
    assert lead.get(s.url(f"/roadmap?start={START}")).status_code == 200


def test_an_imported_end_before_its_start_is_a_field_error(s, lead):
    response = lead.post(s.url("/initiatives/import"), json={"initiatives": [
        {"ref": "a", "title": "Backwards", "status": "done", "actual_start": "2026-02-06",
         "actual_end": "2026-01-05"}], "dependencies": []})
    assert response.status_code == 422
    assert "initiatives[0].actual_end" in response.json["errors"]


def test_reopening_clears_the_actual_end_and_the_trail_keeps_it(s, lead):
    i = make(lead, s, status="in_progress", actual_start="2026-03-02")
    patch(lead, s, i, status="done", actual_end="2026-04-10")

    reopened = patch(lead, s, i, status="in_progress")

    assert reopened.status_code == 200
    assert (reopened.json["actual_start"], reopened.json["actual_end"]) == ("2026-03-02", None)
    last = lead.get(s.url(f"/initiatives/{i}/audit")).json["items"][-1]
    assert last["changes"]["status"] == ["done", "in_progress"]
    assert last["changes"]["actual_end"] == ["2026-04-10", None]


def test_a_running_pilot_and_a_generalize_decision_carry_the_dates(s, lead):
    piloted = make(lead, s)
    pilot = lead.post(s.url(f"/initiatives/{piloted}/pilots"),
                      json={"status": "running", "start": "2026-09-07"}).json
    assert lead.get(s.url(f"/initiatives/{piloted}")).json["status"] == "piloting"
    assert lead.get(s.url(f"/initiatives/{piloted}")).json["actual_start"] == "2026-09-07"
    lead.patch(s.url(f"/pilots/{pilot['id']}"), json={"decision": "generalize"})
    body = lead.get(s.url(f"/initiatives/{piloted}")).json
    assert (body["status"], body["actual_start"]) == ("in_progress", "2026-09-07")

    approved = make(lead, s, status="approved")
    other = lead.post(s.url(f"/initiatives/{approved}/pilots"), json={}).json
    lead.patch(s.url(f"/pilots/{other['id']}"), json={"decision": "generalize"})
    body = lead.get(s.url(f"/initiatives/{approved}")).json
    assert (body["status"], body["actual_start"]) == ("in_progress", local_today())


def _closed_campaign(scenario, api) -> None:
    """The scenario's diagnostic with one respondent, closed."""
    base = scenario.assessment_url()
    assert api.patch(base, json={"status": "open"}).status_code == 200
    respondent = api.post(f"{base}/respondents", json={"name": "Ann"}).json["id"]
    rows = [{"respondent_id": respondent, "dimension": code, "value": 2}
            for code in ("a.one", "a.two", "b.one", "b.two")]
    assert api.put(f"{base}/ratings", json=rows).status_code == 200
    assert api.patch(base, json={"status": "closed"}).status_code == 200
    db.session.get(Assessment, scenario.assessment["id"]).closed_at = datetime(
        2026, 5, 29, tzinfo=UTC)
    db.session.commit()


def test_the_roadmap_and_the_barometer_answer_after_ordinary_moves(s, lead):
    _closed_campaign(s, lead)
    uplift = [{"dimension": "a.one", "expected": 1}]
    finished = make(lead, s, title="Finished", status="approved", duration_weeks=2,
                    uplifts=uplift)
    patch(lead, s, finished, status="in_progress")
    assert patch(lead, s, finished, status="done").status_code == 200
    piloted = make(lead, s, title="Generalized", status="piloting", duration_weeks=6,
                   uplifts=uplift)
    pilot = lead.post(s.url(f"/initiatives/{piloted}/pilots"), json={}).json
    lead.patch(s.url(f"/pilots/{pilot['id']}"), json={"decision": "generalize"})
    make(lead, s, title="Next", status="approved", duration_weeks=3)

    roadmap = lead.get(s.url(f"/roadmap?start={local_today()}"))
    barometer = lead.get(s.url(f"/barometer?framework_id={s.framework['id']}"))

    assert roadmap.status_code == 200, roadmap.json
    by_id = {e["initiative_id"]: e for e in roadmap.json["initiatives"]}
    assert (by_id[finished]["start"], by_id[finished]["end"]) == (local_today(),) * 2
    assert by_id[piloted]["start"] == local_today()
    assert barometer.status_code == 200, barometer.json
    assert barometer.json["projected"] != []


def test_an_illegal_move_alone_is_a_409_and_with_other_errors_all_answer_together(s, lead):
    i = make(lead, s)
    alone = patch(lead, s, i, status="done")
    assert alone.status_code == 409 and alone.json["allowed"] == [
        "approved", "piloting", "dropped"]
    both = patch(lead, s, i, status="done", job_size=0)
    assert both.status_code == 422
    assert both.json["errors"] == {"status": ["Must be one of: approved, piloting, dropped."],
                                   "job_size": ["Must be greater than 0."]}


def test_every_service_error_of_an_initiative_answers_at_once(s, lead):
    response = lead.post(s.url("/initiatives"), json={
        "title": "Four bad fields", "job_size": 0, "finding_ids": [999999],
        "uplifts": [{"dimension": "zz.unknown", "expected": 1}],
        "status": "done", "actual_start": "2026-03-05", "actual_end": "2026-03-04"})

    assert response.status_code == 422
    assert response.json["errors"] == {
        "job_size": ["Must be greater than 0."],
        "finding_ids": ["Finding 999999 not found."],
        "uplifts": ["Unknown dimension 'zz.unknown'."],
        "actual_end": ["Must not be before the actual start (2026-03-05)."]}
    assert lead.get(s.url("/initiatives")).json["total"] == 0


# ------------------------------------------------------------------------------ raters

def test_raters_add_to_the_owners_inputs_and_never_erase_them(s, lead):
    i = make(lead, s, **wsjf(26, 5), reach=1000, impact=2, confidence=0.8, effort=4)

    for rater, inputs in (("ann", {"job_size": 3, "ease": 4}), ("bob", {"job_size": 8})):
        assert lead.put(s.url(f"/initiatives/{i}/ratings/{rater}"),
                        json=inputs).status_code == 200
    body = lead.get(s.url(f"/initiatives/{i}")).json

    # job size: the raters' median (3 + 8) / 2; ease: ann's; every other field the owner's
    assert (body["job_size"], body["ease"], body["business_value"], body["reach"]) == (
        5.5, 4, 26, 1000)
    assert body["own_inputs"]["job_size"] == 5 and body["own_inputs"]["ease"] is None
    assert body["spread"] == {"job_size": 5, "ease": 0}
    wsjf_item = lead.get(s.url("/backlog?method=wsjf")).json["items"][0]
    rice_item = lead.get(s.url("/backlog?method=rice")).json["items"][0]
    assert wsjf_item["score"] == 26 / 5.5
    assert rice_item["score"] == 1000 * 2 * 0.8 / 4  # the owner's RICE inputs survive
    trail = lead.get(s.url(f"/initiatives/{i}/audit")).json["items"]
    assert trail[-1]["changes"] == {"rater": "bob", "job_size": [None, 8]}


def test_the_owner_still_edits_own_values_beside_the_raters(s, lead):
    i = make(lead, s, **wsjf(10, 5))
    lead.put(s.url(f"/initiatives/{i}/ratings/ann"), json={"job_size": 2})

    body = patch(lead, s, i, job_size=4, impact=3).json

    assert body["own_inputs"]["job_size"] == 4 and body["job_size"] == 2  # ann's median
    assert body["impact"] == 3  # no rater gave an impact: the owner's


# ------------------------------------------------------------------------ history is kept

def test_an_archived_initiative_leaves_the_backlog_and_the_plan_and_comes_back(s, lead):
    first = make(lead, s, title="A", duration_weeks=2, **wsjf(3))
    middle = make(lead, s, title="X", duration_weeks=3, **wsjf(2))
    last = make(lead, s, title="B", duration_weeks=4, **wsjf(1))
    for before, after in ((first, middle), (middle, last)):
        lead.post(s.url("/dependencies"), json={"prerequisite_id": before,
                                                "dependent_id": after})
    assert lead.get(s.url(f"/roadmap?start={START}")).json["makespan_weeks"] == 9

    archived = lead.post(s.url(f"/initiatives/{middle}/archive"))

    assert archived.status_code == 200 and archived.json["archived_at"] is not None
    items = lead.get(s.url("/backlog?include_done=true")).json["items"]
    assert [(i["id"], i["blocked_by"]) for i in items] == [(first, []), (last, [first])]
    plan = lead.get(s.url(f"/roadmap?start={START}")).json
    # B still waits for A through the archived X: A weeks 0-2, B weeks 2-6
    assert [e["initiative_id"] for e in plan["initiatives"]] == [first, last]
    assert plan["makespan_weeks"] == 6
    assert plan["critical_path"] == {"initiative_ids": [first, last], "duration_weeks": 6}
    assert lead.get(s.url(f"/initiatives/{middle}")).json["archived_at"] is not None
    assert lead.post(s.url(f"/initiatives/{middle}/archive")).status_code == 409
    trail = lead.get(s.url(f"/initiatives/{middle}/audit")).json["items"]
    assert trail[-1]["action"] == "archive"

    restored = lead.post(s.url(f"/initiatives/{middle}/restore"))

    assert restored.status_code == 200 and restored.json["archived_at"] is None
    assert lead.get(s.url(f"/roadmap?start={START}")).json["makespan_weeks"] == 9
    assert lead.post(s.url(f"/initiatives/{middle}/restore")).status_code == 409
    assert lead.get(s.url(f"/initiatives/{middle}/audit")).json["items"][-1]["action"] == \
        "restore"
    listed = lead.get(s.url("/initiatives?archived=false")).json
    assert listed["total"] == 3


def test_an_archived_initiative_stays_in_the_decision_log(s, lead):
    i = make(lead, s)
    pilot = lead.post(s.url(f"/initiatives/{i}/pilots"), json={}).json
    lead.patch(s.url(f"/pilots/{pilot['id']}"), json={
        "decision": "adjust", "decision_date": "2026-10-02"})
    lead.post(s.url("/decisions"), json={"title": "Go", "committee": "portfolio",
                                         "decided_on": "2026-10-01", "initiative_ids": [i]})
    assert lead.post(s.url(f"/initiatives/{i}/archive")).status_code == 200

    log = lead.get(s.url("/decisions")).json["items"]

    assert sorted(entry["kind"] for entry in log) == ["decision", "pilot"]
    assert lead.get(s.url(f"/initiatives/{i}/audit")).json["total"] >= 3


@pytest.mark.parametrize("history", ["change", "pilot", "decision", "rating"])
def test_an_initiative_with_history_is_not_deleted_and_the_answer_says_to_archive(
        s, lead, history):
    i = make(lead, s)
    if history == "change":
        patch(lead, s, i, status="approved")
    elif history == "pilot":
        lead.post(s.url(f"/initiatives/{i}/pilots"), json={})
    elif history == "decision":
        lead.post(s.url("/decisions"), json={"title": "Go", "committee": "portfolio",
                                             "decided_on": "2026-10-01",
                                             "initiative_ids": [i]})
    else:
        lead.put(s.url(f"/initiatives/{i}/ratings/ann"), json={"job_size": 3})

    refused = lead.delete(s.url(f"/initiatives/{i}"))

    assert refused.status_code == 409
    assert "archive it instead" in refused.json["detail"]
    expected = {"change": {"changes": 1}, "pilot": {"pilots": 1, "changes": 1},
                "decision": {"decisions": 1}, "rating": {"changes": 1}}[history]
    assert refused.json["history"] == expected
    assert lead.get(s.url(f"/initiatives/{i}")).status_code == 200


def test_an_initiative_without_history_is_deleted_with_its_links_audited(s, lead):
    kept = make(lead, s, title="Kept")
    gone = make(lead, s, title="Gone")
    edge = lead.post(s.url("/dependencies"), json={"prerequisite_id": kept,
                                                   "dependent_id": gone}).json

    assert lead.delete(s.url(f"/initiatives/{gone}")).status_code == 204

    assert lead.get(s.url(f"/initiatives/{gone}")).status_code == 404
    assert lead.get(s.url("/dependencies")).json["total"] == 0
    trail = lead.get(s.url(f"/initiatives/{kept}/audit")).json["items"]
    assert [(e["entity"], e["entity_id"], e["action"]) for e in trail] == [
        ("initiative", kept, "create"), ("dependency", edge["id"], "create"),
        ("dependency", edge["id"], "delete")]
    assert trail[-1]["changes"]["dependent_id"] == [gone, None]


# --------------------------------------------------------------------- adoption, once

ROLES = {"code": "t-roles", "title": "Clarify roles", "duration_weeks": 4,
         "uplifts": {"a.one": 1}}
TRIOS = {"code": "t-trios", "title": "Product trios", "duration_weeks": 6,
         "uplifts": {"a.two": 1}, "prerequisites": ["t-roles"]}


@pytest.fixture
def playbook(s, lead):
    ann = s.add_respondent()
    assert s.rate([{"respondent_id": ann, "dimension": d, "value": v} for d, v in
                   {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4}.items()]).status_code == 200
    for template in (ROLES, TRIOS):
        assert lead.post(s.url("/playbook"), json=template).status_code == 201
    assert lead.post(s.url("/findings"), json={
        "kind": "gap", "title": "Roles and trios are missing", "dimensions": ["a.one", "a.two"],
        "assessment_id": s.assessment["id"]}).status_code == 201
    return s


def _adopt(scenario, api, codes):
    return api.post(scenario.assessment_url("/suggested-initiatives/adopt"),
                    json={"template_codes": codes})


def _adopted_by(scenario, api) -> dict[str, object]:
    body = api.get(scenario.assessment_url("/suggested-initiatives")).json
    return {t["code"]: t["adopted_by"] for f in body["findings"] for t in f["templates"]}


def test_a_template_is_adopted_once_and_the_suggestions_name_its_initiative(playbook, lead):
    roles = _adopt(playbook, lead, ["t-roles"]).json["initiatives"][0]

    again = _adopt(playbook, lead, ["t-trios", "t-roles"])

    assert again.status_code == 422
    assert again.json["errors"] == {"template_codes": [
        f"'t-roles' is already adopted as initiative {roles['id']} (Clarify roles)"]}
    assert lead.get(playbook.url("/initiatives")).json["total"] == 1  # nothing created
    assert _adopted_by(playbook, lead) == {
        "t-roles": {"id": roles["id"], "title": "Clarify roles"}, "t-trios": None}
    lead.patch(playbook.url(f"/initiatives/{roles['id']}"), json={"status": "dropped"})
    assert _adopt(playbook, lead, ["t-roles"]).status_code == 422  # dropped still counts

    lead.post(playbook.url(f"/initiatives/{roles['id']}/archive"))

    assert _adopted_by(playbook, lead)["t-roles"] is None
    assert _adopt(playbook, lead, ["t-roles"]).status_code == 201


# ---------------------------------------------------------------- the backlog's default

@pytest.fixture
def closed_and_open(s, lead):
    """A done initiative D (WSJF 10) that O2 (2) waits for, an approved O1 (5), a dropped
    X (8) and an archived Z (9)."""
    ids = {"D": make(lead, s, title="D", status="done", **wsjf(10)),
           "O1": make(lead, s, title="O1", status="approved", **wsjf(5)),
           "O2": make(lead, s, title="O2", **wsjf(2)),
           "X": make(lead, s, title="X", status="dropped", **wsjf(8)),
           "Z": make(lead, s, title="Z", **wsjf(9))}
    lead.post(s.url("/dependencies"), json={"prerequisite_id": ids["D"],
                                            "dependent_id": ids["O2"]})
    lead.post(s.url(f"/initiatives/{ids['Z']}/archive"))
    return ids


def _ranked(api, scenario, query=""):
    body = api.get(scenario.url(f"/backlog?{query}")).json
    return [(item["id"], item["rank"]) for item in body["items"]], body["total"]


def test_the_backlog_shows_what_is_still_to_do_by_default(s, lead, closed_and_open):
    ids = closed_and_open
    assert _ranked(lead, s) == ([(ids["O1"], 1), (ids["O2"], 2)], 2)
    item = lead.get(s.url("/backlog")).json["items"][1]
    assert (item["actionable"], item["blocked_by"]) == (True, [])  # D is done
    assert _ranked(lead, s, "status=approved") == ([(ids["O1"], 1)], 1)
    csv = lead.get(s.url("/backlog.csv")).text
    assert "O1" in csv and ",D," not in csv


def test_a_filter_shows_the_done_and_dropped_in_topological_order(s, lead, closed_and_open):
    ids = closed_and_open
    # effective priorities D max(10, 2) = 10, O1 5, O2 2 (after D); X out of the graph, last
    assert _ranked(lead, s, "include_done=true") == (
        [(ids["D"], 1), (ids["O1"], 2), (ids["O2"], 3), (ids["X"], 4)], 4)
    assert _ranked(lead, s, "status=done") == ([(ids["D"], 1)], 1)
    assert _ranked(lead, s, "status=dropped") == ([(ids["X"], 4)], 1)
