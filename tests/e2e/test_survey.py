"""A respondent completes a 32-dimension survey on a phone-sized page in a real browser,
one axis per step, leaving half-way and resuming with the same link."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.builders import Scenario, framework_doc
from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.campaign_steps import SCREENSHOTS

PHONE = {"width": 390, "height": 844}
LEVELS = {1: "Reviews happen when someone remembers.",
          2: "Some teams review every change, others never do.",
          3: "Every change is reviewed within a day, by a shared rule.",
          4: "Review time is measured and kept under a target.",
          5: "The review practice is improved from its own data."}
# what each axis's eight dimensions are answered: axis k all at ANSWERS[k]; the last axis
# answers four dimensions 5 and says "cannot say" on the other four
ANSWERS = ["2", "3", "4", "5"]


def grid() -> dict[str, Any]:
    """Four axes of eight dimensions (32), weights 1; every dimension has level descriptors."""
    return framework_doc([
        {"code": f"x{a}", "name": f"Axis {a + 1}", "dimensions": [
            {"code": f"x{a}.d{d}", "name": f"Practice {a + 1}.{d + 1}", "levels": LEVELS}
            for d in range(8)]} for a in range(4)])


def answer_step(page: Any, axis: int) -> None:
    """Answer the eight dimensions of `axis` as ANSWERS says."""
    for d in range(8):
        value = "na" if axis == 3 and d >= 4 else ANSWERS[axis]
        page.check(f'input[name="value:x{axis}.d{d}"][value="{value}"]')


def readable_on_a_phone(page: Any) -> None:
    """No sideways scroll, and the level descriptors at 16 px or more, within the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sizes = page.eval_on_selector_all(
        ".level span", "spans => spans.map(s => [parseFloat(getComputedStyle(s).fontSize),"
                       " s.getBoundingClientRect().right])")
    assert sizes and all(size >= 16 and right <= PHONE["width"] for size, right in sizes)


def shoot(page: Any, name: str) -> None:
    if os.environ.get("TRACKER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"survey-{name}.png"), full_page=False)


@pytest.mark.e2e
def test_a_respondent_answers_32_dimensions_step_by_step_on_a_phone_and_resumes(
        live_server, chromium, lead, admin):
    scenario = Scenario(lead, admin, grid())
    scenario.add_respondent("Ann")
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    link = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    url = link.replace("http://tracker.test", live_server)
    watched = Watched(chromium.new_page(viewport=PHONE))
    page = watched.page

    page.goto(url)
    assert page.inner_text("#progress-text") == "0 of 32 answered · step 1 of 4"
    assert page.is_visible("text=Every change is reviewed within a day, by a shared rule.")
    assert page.locator("fieldset.dimension").count() == 8
    readable_on_a_phone(page)
    assert_accessible(watched, "survey step 1")
    shoot(page, "01-step-one")
    for axis in (0, 1):
        answer_step(page, axis)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_selector(f"text={8 * (axis + 1)} of 32 answered · step {axis + 2} of 4")
        assert page.get_attribute("#survey-progress", "value") == str(8 * (axis + 1))
        assert_accessible(watched, f"survey step {axis + 2}")
    page.close()

    watched = Watched(chromium.new_page(viewport=PHONE))  # the next day, the same link
    page = watched.page
    page.goto(url)
    assert page.inner_text("#progress-text") == "16 of 32 answered · step 3 of 4"
    page.get_by_role("button", name="Back").click()  # nothing typed: step 2, as saved
    page.wait_for_selector("text=step 2 of 4")
    assert page.is_checked('input[name="value:x1.d0"][value="3"]')
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("text=step 3 of 4")
    answer_step(page, 2)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector("text=24 of 32 answered · step 4 of 4")
    assert page.get_by_role("button", name="Save and continue").count() == 0  # the last step
    answer_step(page, 3)
    page.fill('textarea[name="comment:x3.d0"]', "Reviews wait for days")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_selector("text=Your answers are saved.")
    assert page.inner_text("#progress-text") == "32 of 32 answered · step 4 of 4"
    readable_on_a_phone(page)
    assert_accessible(watched, "survey last step")
    shoot(page, "02-last-step-saved")

    forged = page.request.post(url, form={"value:x0.d0": "5"})  # no CSRF token
    assert forged.status == 400 and "Traceback" not in forged.text()

    scores = scenario.scores()
    # every dimension weighs 1: axis 1 = 2, axis 2 = 3, axis 3 = 4, axis 4 = the mean of
    # four 5s (the four "cannot say" are left out) = 5; overall (axes weigh 1) =
    # (2 + 3 + 4 + 5) / 4 = 3.5
    assert [axis["score"] for axis in scores["axes"]] == [2.0, 3.0, 4.0, 5.0]
    assert scores["overall"] == 3.5
    assert [d["n"] for d in scores["axes"][3]["dimensions"]] == [1, 1, 1, 1, 0, 0, 0, 0]
