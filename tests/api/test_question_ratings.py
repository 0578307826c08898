"""Ratings by question: answers are stored and give the respondent's dimension rating by
the framework's question rule (DESIGN section 3), in the same transaction."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, framework_doc

SAMM_ANSWERS = [{"text": t, "value": v} for t, v in
                [("No", 0), ("Yes, for some", 0.25), ("Yes, at least half", 0.5),
                 ("Yes, for most", 1)]]


def _question(code: str, stream: str | None, answers: list[dict]) -> dict:
    return {"code": code, "text": f"Question {code}?", "stream": stream, "answers": answers}


def samm_doc() -> dict:
    scale = [{"value": v, "label": str(v)} for v in (0, 1, 2, 3)]
    return framework_doc(scale=scale, question_rule="samm", axes=[
        {"code": "g", "name": "Governance", "dimensions": [
            {"code": "G-SM", "name": "Strategy", "questions": [
                _question("G-SM-A-1", "A", SAMM_ANSWERS), _question("G-SM-A-2", "A", SAMM_ANSWERS),
                _question("G-SM-B-1", "B", SAMM_ANSWERS)]},
            {"code": "G-PC", "name": "Policy"}]}])


def _answers(respondent: int, values: dict[str, float | None]) -> list[dict]:
    return [{"respondent_id": respondent, "question": code, "value": value}
            for code, value in values.items()]


def _score(scenario: Scenario, code: str) -> float | None:
    return next(d["score"] for axis in scenario.scores()["axes"] for d in axis["dimensions"]
                if d["code"] == code)


def test_samm_rule_rates_the_mean_over_streams_of_their_sums(lead, admin):
    scenario = Scenario(lead, admin, samm_doc())
    ann = scenario.add_respondent()

    response = scenario.rate(_answers(ann, {"G-SM-A-1": 1, "G-SM-A-2": 0.5, "G-SM-B-1": 0.25}))

    assert response.status_code == 200, response.json
    # stream A: 1 + 0.5 = 1.5, stream B: 0.25 → (1.5 + 0.25) / 2
    assert _score(scenario, "G-SM") == 0.875


def test_a_later_answer_recomputes_with_the_stored_ones(lead, admin):
    scenario = Scenario(lead, admin, samm_doc())
    ann = scenario.add_respondent()
    scenario.rate(_answers(ann, {"G-SM-A-1": 1, "G-SM-A-2": 0.5, "G-SM-B-1": 0.25}))

    response = scenario.rate(_answers(ann, {"G-SM-B-1": 1}))

    assert response.json == {"created": 0, "updated": 1}
    assert _score(scenario, "G-SM") == 1.25  # (1.5 + 1) / 2


def test_mean_rule_rates_the_mean_of_answer_values_and_mixes_with_dimension_rows(lead, admin):
    answers = [{"text": f"Level {v}", "value": v} for v in (1, 2, 3, 4, 5)]
    doc = framework_doc(axes=[{"code": "a", "name": "A", "dimensions": [
        {"code": "a.q", "name": "With questions", "questions": [
            _question("a.q.1", None, answers), _question("a.q.2", None, answers)]},
        {"code": "a.d", "name": "Direct"}]}])
    scenario = Scenario(lead, admin, doc)
    ann = scenario.add_respondent()

    response = scenario.rate([*_answers(ann, {"a.q.1": 2, "a.q.2": 5}),
                              {"respondent_id": ann, "dimension": "a.d", "value": 4}])

    assert response.status_code == 200, response.json
    assert _score(scenario, "a.q") == 3.5
    assert _score(scenario, "a.d") == 4.0


def test_a_value_outside_the_answer_set_rejects_everything(lead, admin):
    scenario = Scenario(lead, admin, samm_doc())
    ann = scenario.add_respondent()

    response = scenario.rate(_answers(ann, {"G-SM-A-1": 1, "G-SM-A-2": 0.3, "G-XX-A-1": 1}))

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"[1].value", "[2].question"}
    assert _score(scenario, "G-SM") is None

    from tracker.extensions import db
    from tracker.models import Answer
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0


@pytest.mark.parametrize("row", [{"value": 1}, {"dimension": "G-PC", "question": "G-SM-A-1",
                                                "value": 1}])
def test_a_row_names_either_a_dimension_or_a_question(lead, admin, row):
    scenario = Scenario(lead, admin, samm_doc())
    ann = scenario.add_respondent()

    response = scenario.rate([{"respondent_id": ann, **row}])

    assert response.status_code == 422
    assert "[0].dimension" in response.json["errors"]


def test_rating_a_dimension_directly_and_by_its_questions_at_once_is_refused(lead, admin):
    scenario = Scenario(lead, admin, samm_doc())
    ann = scenario.add_respondent()

    response = scenario.rate([{"respondent_id": ann, "dimension": "G-SM", "value": 2},
                              *_answers(ann, {"G-SM-A-1": 1})])

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"[0].dimension"}
