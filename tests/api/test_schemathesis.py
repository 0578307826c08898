"""A bounded schemathesis run over the whole OpenAPI document, in process, on the demo.

One test runs schemathesis' engine (what `schemathesis run` runs) over every operation of
`GET /api/v1/openapi.json`, through all its phases: probing, examples, coverage, fuzzing and
stateful (the links it infers between operations), with the checks `not_a_server_error`,
`status_code_conformance`, `content_type_conformance` and `response_schema_conformance`. The
document has no catch-all `default` response (`tracker.api.openapi` documents each error
status where it occurs, as problem+json), so these checks hold the API to what it says. Any
failure fails the test with the request that reproduces it; the counts are printed
(`pytest -s`).

* **In process.** The app is called as a WSGI application from the engine's threads, so
  every request runs in an application context of its own, as in production.
* **Real records.** The demo organization NovaTechna is loaded first, and nine path ids in
  ten (`org_id`, `assessment_id`, `initiative_id`...) name one of its records, so the run
  reaches the services rather than stopping at 404; the rest are ids schemathesis makes up.
* **A token the run cannot revoke.** The run uses the token of an instance admin: lead
  rights everywhere through no membership, so no operation can demote or remove it. The
  operations that revoke tokens, `DELETE /auth/tokens/{token_id}` and
  `DELETE /me/tokens/{token_id}`, are pinned to a decoy token of that admin; the other
  deletions are pinned to decoy records likewise, so the demo's own records stay in place
  for the rest of the run.
* **Deterministic and bounded.** A fixed seed, `derandomize`, no example database, a few
  fuzzed examples per operation and short stateful scenarios: about two minutes on one core.
  Deselect with `-m "not schemathesis"`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis import engine
from schemathesis.engine import Status, events
from schemathesis.engine.statistic import Statistic
from sqlalchemy import select

from tests.builders import add_member
from tracker.extensions import db
from tracker.models import Assessment, Decision, Dependency, Finding, Kpi, Pilot, Schedule
from tracker.models.roadmap import RoadmapBaseline
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts

pytestmark = pytest.mark.schemathesis

SEED = 20260512
FUZZED_EXAMPLES = 10  # per operation in the fuzzing phase; scenarios in the stateful one
STATEFUL_STEPS = 6
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")
#: The server errors the document states: a PDF report where Chromium is not installed (501),
#: the health check of a database that does not answer (503).
DOCUMENTED_SERVER_ERRORS = ("501", "503")
ADMIN = "fuzzer@example.org"
DECOY_MEMBER = "decoy@example.org"
PASSWORD = "correct horse battery"
REAL_ID_PROBABILITY = 0.9


def _first_id(model: Any, org_id: int) -> int:
    """The smallest id of a demo record of `model`."""
    return db.session.scalar(select(model.id).where(model.org_id == org_id)
                             .order_by(model.id).limit(1))


def _demo_ids(org_id: int) -> dict[str, Any]:
    """A real record of the demo for every path parameter of the API."""
    assessment = db.session.scalar(select(Assessment).where(Assessment.org_id == org_id)
                                   .order_by(Assessment.id).limit(1))
    pilot = db.session.scalar(select(Pilot).where(Pilot.org_id == org_id).limit(1))
    lead_email = next(m["email"] for m in demo.demo_document()["members"]
                      if m["role"] == "lead")
    return {
        "org_id": org_id, "assessment_id": assessment.id,
        "framework_id": assessment.framework_id, "initiative_id": pilot.initiative_id,
        "pilot_id": pilot.id, "finding_id": _first_id(Finding, org_id),
        "kpi_id": _first_id(Kpi, org_id),
        "decision_id": _first_id(Decision, org_id), "schedule_id": _first_id(Schedule, org_id),
        "dependency_id": _first_id(Dependency, org_id),
        "baseline_id": _first_id(RoadmapBaseline, org_id),
        "user_id": accounts.find_user(lead_email).id, "rater": "fuzzer",
    }


class Decoys:
    """Throwaway records, created through the API, that the deletions point at."""

    def __init__(self, app: Flask, token: str, org_id: int) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.org_id = org_id
        self.org = f"/api/v1/orgs/{org_id}"

    def create(self, path: str, body: Any) -> Any:
        """POST `body` under the organization; the created record."""
        response = self.client.post(self.org + path, json=body, headers=self.headers)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json

    def operations(self, decoy_token: int) -> list[dict[str, Any]]:
        """Per-operation parameters pinning each deletion to its decoy."""
        first = self.create("/initiatives", {"title": "Decoy A"})["id"]
        second = self.create("/initiatives", {"title": "Decoy B"})["id"]
        symptom, cause = (self.create("/findings", {"kind": "gap", "title": title})["id"]
                          for title in ("Decoy symptom", "Decoy cause"))
        self.create(f"/findings/{symptom}/root-causes", {"root_cause_id": cause})
        add_member(self.org_id, DECOY_MEMBER, "viewer")
        return [
            _pin("DELETE /api/v1/auth/tokens/{token_id}", token_id=decoy_token),
            _pin("DELETE /api/v1/me/tokens/{token_id}", token_id=decoy_token),
            _pin("DELETE /api/v1/orgs/{org_id}/initiatives/{initiative_id}",
                 initiative_id=second),
            _pin("DELETE /api/v1/orgs/{org_id}/dependencies/{dependency_id}",
                 dependency_id=self.create("/dependencies", {
                     "prerequisite_id": first, "dependent_id": second})["id"]),
            _pin("DELETE /api/v1/orgs/{org_id}/schedules/{schedule_id}",
                 schedule_id=self.create("/schedules", {"kind": "barometer",
                                                        "interval_days": 30})["id"]),
            _pin("DELETE /api/v1/orgs/{org_id}/playbook/{code}",
                 code=self.create("/playbook", {"code": "decoy", "title": "Decoy"})["code"]),
            _pin("DELETE /api/v1/orgs/{org_id}/members/{user_id}",
                 user_id=accounts.find_user(DECOY_MEMBER).id),
            _pin("DELETE /api/v1/orgs/{org_id}/findings/{finding_id}/root-causes",
                 finding_id=symptom),
            _pin("DELETE /api/v1/orgs/{org_id}/findings/{finding_id}/root-causes/"
                 "{root_cause_id}", finding_id=symptom, root_cause_id=cause),
        ]


def _pin(name: str, **path: Any) -> dict[str, Any]:
    """An `[[operations]]` entry forcing path parameters of operation `name`."""
    return {"include-name": name, "parameters": {f"path.{k}": v for k, v in path.items()}}


def _config(token: str, ids: dict[str, Any],
            operations: list[dict[str, Any]]) -> schemathesis.Config:
    """Seeded, derandomized, bounded; real ids most of the time; the admin's token."""
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {token}"},
        "cache": {"enabled": False},
        "generation": {"deterministic": True, "database": "none",
                       "max-examples": FUZZED_EXAMPLES},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS},
                   "not_a_server_error": {"expected-statuses": [
                       "2xx", "3xx", "4xx", *DOCUMENTED_SERVER_ERRORS]}},
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        "dictionaries": {name: {"values": [value]} for name, value in ids.items()},
        "parameters": {f"path.{name}": {"dictionary": name,
                                        "probability": REAL_ID_PROBABILITY}
                       for name in ids},
        "operations": operations,
    })


@pytest.fixture
def api_schema(app: Flask) -> Any:
    """The app's OpenAPI document, loaded by schemathesis, configured for the demo."""
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    admin = accounts.create_user(ADMIN, PASSWORD, admin=True)
    _, token = accounts.create_token(admin, "schemathesis")
    decoy_token = accounts.create_token(admin, "decoy")[0].id
    accounts.create_user(DECOY_MEMBER, PASSWORD)
    operations = Decoys(app, token, org_id).operations(decoy_token)
    config = _config(token, _demo_ids(org_id), operations)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


@dataclass
class Outcome:
    """What a run did: cases per phase, failing cases per check, the failures, the time."""

    statistic: Statistic = field(default_factory=Statistic)
    cases: Counter[str] = field(default_factory=Counter)
    failing_cases: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def on_event(self, event: events.EngineEvent) -> None:
        """Take one engine event into account."""
        if isinstance(event, events.ScenarioFinished):
            self.statistic.on_scenario_finished(event.recorder)
            self.cases[event.phase.value] += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                self.failing_cases.update(c.name for c in checks if c.status == Status.FAILURE)
        elif isinstance(event, events.NonFatalError):
            self.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            self.seconds = event.running_time

    def summary(self) -> str:
        """One line of counts."""
        return (f"{len(self.statistic.tested_operations)} operations, "
                f"{self.statistic.total_cases} test cases {dict(self.cases)}, failing cases "
                f"by check {dict(self.failing_cases)}, {len(self.errors)} errors, "
                f"{self.seconds:.0f} s")

    def report(self) -> str:
        """The counts, then every distinct failure with the request that reproduces it."""
        lines = [self.summary(), *self.errors]
        for label, groups in self.statistic.failures.items():
            for group in groups.values():
                lines += [f"{label}: {failure.title}: {failure.message[:500]}"
                          for failure in group.failures]
                lines.append(f"    {group.code_sample}")
        return "\n".join(lines)


def test_the_whole_api_keeps_its_contract_under_schemathesis(api_schema: Any) -> None:
    """Every phase: no 5xx, only documented statuses, bodies that match their schemas."""
    outcome = Outcome()
    for event in engine.from_schema(api_schema).execute():
        outcome.on_event(event)
    print("\nschemathesis:", outcome.summary())
    if outcome.statistic.failures or outcome.errors:
        pytest.fail(outcome.report(), pytrace=False)
