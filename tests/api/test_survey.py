"""The respondent's survey pages at /survey/<token>, through the test browser."""

from __future__ import annotations

import re

import pytest

from tests.builders import Scenario


@pytest.fixture
def browser(app):
    """The respondent's own client: no account, its own cookies."""
    return app.test_client()


def _open_scenario(lead, admin) -> tuple[Scenario, str]:
    scenario = Scenario(lead, admin)
    scenario.add_respondent("Ann")
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    url = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    return scenario, url.removeprefix("http://tracker.test")


def _dimension_scores(scenario: Scenario) -> dict[str, tuple[float | None, int]]:
    return {d["code"]: (d["score"], d["n"]) for axis in scenario.scores()["axes"]
            for d in axis["dimensions"]}


def test_the_page_lists_axes_dimensions_and_scale_levels(browser, lead, admin):
    _, path = _open_scenario(lead, admin)

    page = browser.get(path)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Axis A" in html and "A two" in html and "Quantitatively managed" in html
    # one axis per step: axis A's 2 dimensions × (5 levels + cannot say)
    assert html.count('type="radio"') == 2 * 6 and 'name="value:b.one"' not in html
    assert "Axis B" in html and "0 of 4 answered" in html and "step 1 of 2" in html
    assert "<script" not in html and "style=" not in html
    second = browser.get(path + "?step=2").get_data(as_text=True)
    assert second.count('type="radio"') == 2 * 6 and 'name="value:b.one"' in second


def test_answers_are_saved_resumed_and_updated_never_duplicated(browser, lead, admin):
    scenario, path = _open_scenario(lead, admin)

    first = browser.post(path, data={"value:a.one": "2", "value:a.two": "na",
                                     "comment:a.one": "Slow reviews"})
    second = browser.post(path, data={"value:a.one": "4", "value:b.one": "5"},
                          follow_redirects=True)

    assert first.status_code == 303 and first.location.endswith(path + "?saved=1")
    assert second.status_code == 200 and "Your answers are saved." in second.text
    assert _dimension_scores(scenario) == {"a.one": (4.0, 1), "a.two": (None, 0),
                                           "b.one": (5.0, 1), "b.two": (None, 0)}
    html = "".join(browser.get(f"{path}?step={n}").get_data(as_text=True) for n in (1, 2))
    checked = re.findall(r'name="value:([\w.]+)" value="(\w+)"\s+checked', html)
    assert sorted(checked) == [("a.one", "4"), ("a.two", "na"), ("b.one", "5")]
    assert "Slow reviews" not in html  # the second submission cleared the comment
    assert "3 of 4 answered" in html  # a.one, a.two ("cannot say" is an answer), b.one


def test_each_step_saves_its_axis_and_moves_back_or_on_and_a_return_resumes(
        browser, lead, admin):
    scenario, path = _open_scenario(lead, admin)

    on = browser.post(path, data={"step": "1", "go": "next", "value:a.one": "3",
                                  "value:a.two": "4", "comment:a.one": "Kept"})
    stay = browser.post(path, data={"step": "2", "go": "stay", "value:b.one": "2"})
    back = browser.post(path, data={"step": "2", "go": "back"})
    beyond = browser.post(path, data={"step": "2", "go": "next", "value:b.two": "1"})

    assert on.status_code == 303 and on.location.endswith(path + "?step=2&saved=1")
    assert stay.location.endswith(path + "?step=2&saved=1")
    assert back.location.endswith(path + "?step=1&saved=1")
    assert beyond.location.endswith(path + "?step=2&saved=1")  # the last step stays last
    # step 2's saves kept step 1's comment: only the fields of the step are written
    first = browser.get(path + "?step=1").get_data(as_text=True)
    assert ">Kept</textarea>" in first and "4 of 4 answered" in first
    assert _dimension_scores(scenario) == {"a.one": (3.0, 1), "a.two": (4.0, 1),
                                           "b.one": (2.0, 1), "b.two": (1.0, 1)}


def test_a_returning_respondent_resumes_at_the_first_step_not_fully_answered(
        browser, lead, admin):
    _, path = _open_scenario(lead, admin)
    browser.post(path, data={"step": "1", "value:a.one": "3", "value:a.two": "4"})

    resumed = browser.get(path).get_data(as_text=True)
    unknown_step = browser.get(path + "?step=9").get_data(as_text=True)

    assert 'name="value:b.one"' in resumed and "step 2 of 2" in resumed
    assert 'name="value:b.one"' in unknown_step  # a step out of range resumes too
    assert "2 of 4 answered" in resumed


def test_a_value_outside_the_scale_saves_nothing_and_says_why(browser, lead, admin):
    scenario, path = _open_scenario(lead, admin)

    page = browser.post(path, data={"value:a.one": "3", "value:b.two": "7"})

    assert page.status_code == 422
    assert "7 is outside the scale 1–5" in page.get_data(as_text=True)
    assert all(n == 0 for _, n in _dimension_scores(scenario).values())


def test_unknown_draft_and_closed_links_answer_a_friendly_page(browser, lead, admin):
    scenario = Scenario(lead, admin)
    scenario.add_respondent("Ann")
    path = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    path = path.removeprefix("http://tracker.test")

    draft = browser.get(path)
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    lead.patch(scenario.assessment_url(), json={"status": "closed"})
    closed = browser.get(path)
    closed_post = browser.post(path, data={"value:a.one": "3"})
    unknown = browser.get("/survey/not-a-real-token")

    assert (draft.status_code, closed.status_code, closed_post.status_code,
            unknown.status_code) == (403, 410, 410, 404)
    assert "not open yet" in draft.get_data(as_text=True)
    assert "This survey is closed" in closed.get_data(as_text=True)
    assert "not valid" in unknown.get_data(as_text=True)
    assert "Traceback" not in unknown.get_data(as_text=True)
    assert all(n == 0 for _, n in _dimension_scores(scenario).values())


def _questions_doc() -> dict:
    from tests.builders import framework_doc

    answers = [{"text": "No", "value": 1}, {"text": "Partly", "value": 3},
               {"text": "Yes", "value": 5}]
    return framework_doc(axes=[{"code": "q", "name": "Questions", "dimensions": [
        {"code": "q.one", "name": "Asked", "questions": [
            {"code": "q.one.1", "text": "Do teams own outcomes?", "answers": answers},
            {"code": "q.one.2", "text": "Do teams meet users?", "answers": answers}]},
        {"code": "q.two", "name": "Rated"}]}])


def test_dimensions_with_questions_are_answered_question_by_question(browser, lead, admin):
    scenario = Scenario(lead, admin, _questions_doc())
    scenario.add_respondent("Ann")
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    path = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    path = path.removeprefix("http://tracker.test")

    html = browser.get(path).get_data(as_text=True)
    bad = browser.post(path, data={"answer:q.one.1": "2", "value:q.two": "4"})
    saved = browser.post(path, data={"answer:q.one.1": "5", "answer:q.one.2": "1",
                                     "value:q.two": "4"}, follow_redirects=True)

    assert "Do teams meet users?" in html and 'name="value:q.one"' not in html
    assert bad.status_code == 422
    assert "“2” is not one of the answers." in bad.text
    assert saved.status_code == 200
    checked = re.findall(r'name="(?:answer|value):([\w.]+)" value="(\w+)"\s+checked', saved.text)
    assert sorted(checked) == [("q.one.1", "5"), ("q.one.2", "1"), ("q.two", "4")]
    # mean rule: (5 + 1) / 2 = 3 for q.one; q.two rated 4 directly
    assert _dimension_scores(scenario) == {"q.one": (3.0, 1), "q.two": (4.0, 1)}
