"""A respondent completes the survey on a phone-sized page in a real browser."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, framework_doc
from tests.e2e.browser import ARTIFACTS

LEVELS = {1: "Reviews happen when someone remembers.",
          2: "Some teams review every change, others never do.",
          3: "Every change is reviewed within a day, by a shared rule.",
          4: "Review time is measured and kept under a target.",
          5: "The review practice is improved from its own data."}



@pytest.mark.e2e
def test_a_respondent_answers_on_a_phone_saves_and_finds_the_answers_again(
        live_server, chromium, lead, admin):
    doc = framework_doc()
    doc["axes"][0]["dimensions"][0].update(name="Code review", levels=LEVELS)
    scenario = Scenario(lead, admin, doc)
    scenario.add_respondent("Ann")
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    link = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    url = link.replace("http://tracker.test", live_server)
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)

    page.goto(url)
    assert page.is_visible("text=Every change is reviewed within a day, by a shared rule.")
    page.check('input[name="value:a.one"][value="2"]')
    page.check('input[name="value:a.two"][value="4"]')
    page.check('input[name="value:b.one"][value="na"]')
    page.fill('textarea[name="comment:a.one"]', "Reviews wait for days")
    page.click("text=Save my answers")
    page.wait_for_selector("text=Your answers are saved.")
    page.reload()

    assert page.is_checked('input[name="value:a.one"][value="2"]')
    assert page.is_checked('input[name="value:a.two"][value="4"]')
    assert page.is_checked('input[name="value:b.one"][value="na"]')
    assert page.input_value('textarea[name="comment:a.one"]') == "Reviews wait for days"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert errors == []  # no CSP violation, no script error
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=False)

    forged = page.request.post(url, form={"value:a.one": "5"})  # no CSRF token
    assert forged.status == 400 and "Traceback" not in forged.text()

    axes = scenario.scores()["axes"]
    # a.one 2 (weight 1), a.two 4 (weight 3): axis a = (2 + 12) / 4 = 3.5; b.one cannot say
    assert [d["score"] for d in axes[0]["dimensions"]] == [2.0, 4.0]
    assert axes[0]["score"] == 3.5
    assert axes[1]["score"] is None
    assert scenario.scores()["overall"] == 3.5

