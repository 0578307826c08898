"""The OWASP SAMM v2 model reader: the official model (when present next to the repository)
and our own small sample in SAMM's file format, including broken copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tracker.adapters.importers import read_samm_model
from tracker.adapters.importers.samm import version_number
from tracker.domain.errors import InvalidInput
from tracker.domain.frame.questions import rating_from_answers
from tracker.domain.scoring import (
    AssessmentScores,
    AxisSpec,
    DimensionSpec,
    RatingPoint,
    score_assessment,
)

OFFICIAL = Path(__file__).parents[2].parent / "shared/data/owasp-samm-v2.2/model"
SAMPLE = Path(__file__).parents[1] / "data/samm-sample/model"


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    if not OFFICIAL.is_dir():
        pytest.skip(f"the official SAMM model is not at {OFFICIAL}")
    return read_samm_model(OFFICIAL)


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return read_samm_model(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample model, to break."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "model"))


def dimensions(framework: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for axis in framework["axes"] for d in axis["dimensions"]]


def questions(framework: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for d in dimensions(framework) for q in d["questions"]]


def score_with_answers(framework: dict[str, Any], answer: dict[str, float]) -> AssessmentScores:
    """One respondent's answers (question code → value) scored the way tracker does: the
    framework's question rule per dimension, then the weighted means of scoring."""
    axes = [AxisSpec(a["code"], a["name"], a["weight"],
                     tuple(DimensionSpec(d["code"], d["name"], a["code"], d["weight"])
                           for d in a["dimensions"]))
            for a in framework["axes"]]
    points = [RatingPoint(1, d["code"], rating_from_answers(
                  framework["question_rule"],
                  [(q["stream"], answer[q["code"]]) for q in d["questions"]]))
              for d in dimensions(framework)]
    return score_assessment(axes, points)


def highest_answers(framework: dict[str, Any]) -> dict[str, float]:
    return {q["code"]: q["answers"][-1]["value"] for q in questions(framework)}


# --- the official model -----------------------------------------------------------------

def test_the_official_model_has_5_functions_15_practices_90_questions(official):
    assert len(official["axes"]) == 5
    assert len(dimensions(official)) == 15
    assert len(questions(official)) == 90


def test_the_official_model_is_a_samm_framework(official):
    assert official["code"] == "owasp-samm"
    assert official["version"] == 202
    assert official["name"] == "OWASP SAMM v2.2"
    assert official["question_rule"] == "samm"
    assert [level["value"] for level in official["scale"]] == [0, 1, 2, 3]
    assert all(level["descriptor"] for level in official["scale"])


def test_functions_become_axes_in_the_model_order(official):
    assert [a["code"] for a in official["axes"]] == [
        "governance", "design", "implementation", "verification", "operations"]
    assert official["axes"][0]["name"] == "Governance"


def test_practices_become_dimensions_coded_like_samm(official):
    assert [d["code"] for d in official["axes"][0]["dimensions"]] == ["G-SM", "G-PC", "G-EG"]
    assert {d["code"] for d in dimensions(official)} >= {"D-TA", "I-SB", "V-ST", "O-IM"}
    strategy = official["axes"][0]["dimensions"][0]
    assert strategy["name"] == "Strategy and Metrics"
    assert sorted(strategy["levels"]) == [1, 2, 3]


def test_question_codes_put_the_stream_before_the_level(official):
    # the file questions/G-SM-1-A.yml is question G-SM-A-1
    strategy = official["axes"][0]["dimensions"][0]
    assert [q["code"] for q in strategy["questions"]] == [
        "G-SM-A-1", "G-SM-A-2", "G-SM-A-3", "G-SM-B-1", "G-SM-B-2", "G-SM-B-3"]
    first = strategy["questions"][0]
    assert first["stream"] == "A"
    assert first["text"] == ("Do you understand the enterprise-wide risk appetite for your "
                             "applications?")


def test_every_question_has_samm_answers(official):
    for question in questions(official):
        assert [a["value"] for a in question["answers"]] == [0, 0.25, 0.5, 1]
        assert question["answers"][0]["text"] == "No"   # not the YAML boolean False
        assert all(isinstance(a["text"], str) for a in question["answers"])


def test_every_practice_has_two_streams_of_three_questions(official):
    for dimension in dimensions(official):
        streams = [q["stream"] for q in dimension["questions"]]
        assert streams == ["A"] * 3 + ["B"] * 3


def test_yes_for_most_everywhere_scores_three_everywhere(official):
    answers = highest_answers(official)
    assert set(answers.values()) == {1.0}
    assert all(q["answers"][-1]["text"].startswith("Yes") for q in questions(official))

    scores = score_with_answers(official, answers)

    assert scores.overall == 3.0
    assert all(axis.score == 3.0 for axis in scores.axes)
    assert all(dim.score == 3.0 for axis in scores.axes for dim in axis.dimensions)


def test_a_mixed_assessment_reproduces_samm_scores(official):
    answers = highest_answers(official)
    answers.update({"G-SM-A-1": 1.0, "G-SM-A-2": 0.5, "G-SM-A-3": 0.25,
                    "G-SM-B-1": 0.5, "G-SM-B-2": 0.0, "G-SM-B-3": 0.0})
    answers.update({q["code"]: 0.0 for q in questions(official) if q["code"][:4] == "G-PC"})
    answers.update({q["code"]: 0.25 for q in questions(official) if q["code"][:4] == "G-EG"})
    answers.update({q["code"]: 0.0 for q in questions(official) if q["code"][:6] == "D-TA-B"})
    answers.update({q["code"]: 0.5 for q in questions(official)
                    if q["code"][:4] in ("D-SR", "D-SA")})

    scores = score_with_answers(official, answers)

    practice = {d.code: d.score for a in scores.axes for d in a.dimensions}
    function = {a.code: a.score for a in scores.axes}
    # G-SM: stream A 1 + 0.5 + 0.25 = 1.75, stream B 0.5 -> (1.75 + 0.5) / 2
    assert practice["G-SM"] == 1.125
    assert practice["G-PC"] == 0.0
    assert practice["G-EG"] == 0.75           # (0.75 + 0.75) / 2
    assert practice["D-TA"] == 1.5            # (3 + 0) / 2
    assert practice["D-SR"] == practice["D-SA"] == 1.5
    assert function["governance"] == pytest.approx((1.125 + 0 + 0.75) / 3)   # 0.625
    assert function["design"] == 1.5
    assert function["implementation"] == function["verification"] == 3.0
    assert scores.overall == pytest.approx((0.625 + 1.5 + 3 + 3 + 3) / 5)  # 2.225


# --- our sample -------------------------------------------------------------------------

def test_the_sample_reads_as_two_axes_and_two_dimensions(sample):
    assert [(a["code"], a["name"]) for a in sample["axes"]] == [
        ("stewardship", "Stewardship"), ("building", "Building")]   # by `order`, not by file
    assert sample["axes"][0]["description"] == (
        "How the sample organisation steers its security work.")
    assert [d["code"] for d in dimensions(sample)] == ["S-RP", "B-CR"]
    assert dimensions(sample)[0]["name"] == "Risk Planning"
    assert dimensions(sample)[0]["description"] == (
        "Security risks are listed and weighed when planning.")


def test_the_sample_scale_comes_from_its_maturity_levels(sample):
    assert sample["scale"][0]["value"] == 0
    assert [(s["value"], s["label"], s["descriptor"]) for s in sample["scale"][1:]] == [
        (1, "Level 1", "Done now and then, by whoever cares."),
        (2, "Level 2", "Done the same way every time, by everyone.")]


def test_practice_levels_become_level_descriptors(sample):
    # S-RP-1 links to maturity level "1001" quoted, B-CR-1 to 1001 unquoted (an int in YAML)
    assert dimensions(sample)[0]["levels"] == {1: "The main risks are written down.",
                                              2: "The risk list is reviewed at every planning."}
    assert dimensions(sample)[1]["levels"][1] == "Some changes get a second reader."


def test_sample_question_codes_come_from_the_links(sample):
    assert [q["code"] for q in questions(sample)] == [
        "S-RP-A-1", "S-RP-A-2", "S-RP-B-1", "S-RP-B-2",
        "B-CR-A-1", "B-CR-A-2", "B-CR-B-1", "B-CR-B-2"]
    assert questions(sample)[0] == {
        "code": "S-RP-A-1", "text": "Is there a written list of security risks?", "stream": "A",
        "answers": [{"text": "No", "value": 0.0},
                    {"text": "Yes, for a few teams", "value": 0.25},
                    {"text": "Yes, for half of the teams", "value": 0.5},
                    {"text": "Yes, for nearly every team", "value": 1.0}]}


def test_answers_are_ordered_by_their_order_field(sample):
    # answer set B lists Always, Never, Half, Rarely in the file
    assert [a["text"] for a in questions(sample)[1]["answers"]] == [
        "Never", "Rarely", "Half of the time", "Always"]


def test_the_sample_scores_with_the_samm_rule(sample):
    answers = highest_answers(sample)
    answers.update({"S-RP-A-1": 0.5, "S-RP-A-2": 0.25, "S-RP-B-1": 0.0, "S-RP-B-2": 1.0})

    scores = score_with_answers(sample, answers)

    # S-RP: (0.75 + 1.0) / 2 = 0.875; B-CR: two questions of 1 per stream -> 2.0
    assert [a.score for a in scores.axes] == [0.875, 2.0]
    assert scores.overall == pytest.approx(1.4375)


# --- broken models ----------------------------------------------------------------------

def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_question_pointing_to_a_missing_answer_set_is_refused(sample_copy):
    replace_in(sample_copy / "questions/B-CR-1-A.yml", "answerSet: as-a-0001",
               "answerSet: as-gone-9999")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert "questions/B-CR-1-A.yml" in caught.value.detail
    assert "as-gone-9999" in caught.value.detail
    assert caught.value.errors == {"questions/B-CR-1-A.yml": [
        "answerSet refers to missing answer set as-gone-9999"]}


def test_a_question_pointing_to_a_missing_activity_is_refused(sample_copy):
    (sample_copy / "activities/S-RP-2-B.yml").unlink()

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert caught.value.errors == {"questions/S-RP-2-B.yml": [
        "activity refers to missing activity ac-rp-2-b"]}


def test_a_practice_of_a_missing_function_is_refused(sample_copy):
    (sample_copy / "business_functions/Building.yml").unlink()

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert caught.value.errors["security_practices/B-Code-Review.yml"] == [
        "function refers to missing business function f-build-0001"]


def test_every_broken_reference_is_reported_at_once(sample_copy):
    replace_in(sample_copy / "streams/S-RP-B.yml", "practice: p-rp-0002", "practice: nope")
    replace_in(sample_copy / "practice_levels/B-CR-2.yml", "maturityLevel: ml-two-0002",
               "maturityLevel: ml-nine")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert set(caught.value.errors) == {"streams/S-RP-B.yml", "practice_levels/B-CR-2.yml"}
    assert "and 1 more problem" in caught.value.detail


def test_an_activity_whose_stream_and_level_disagree_is_refused(sample_copy):
    replace_in(sample_copy / "activities/B-CR-1-A.yml", "level: pl-cr-1", "level: pl-rp-1")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert list(caught.value.errors) == ["activities/B-CR-1-A.yml"]


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        read_samm_model(tmp_path / "nowhere")

    assert "folder" in caught.value.errors


def test_a_missing_subfolder_is_refused(sample_copy):
    shutil.rmtree(sample_copy / "answer_sets")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert caught.value.errors["answer_sets"] == ["folder is missing"]


def test_an_unreadable_file_is_named(sample_copy):
    (sample_copy / "streams/S-RP-A.yml").write_text("practice: [unclosed\n")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert caught.value.errors["streams/S-RP-A.yml"][0].startswith("cannot be read")


def test_a_record_lacking_a_field_is_named(sample_copy):
    replace_in(sample_copy / "security_practices/S-Risk-Planning.yml", "shortName: RP\n", "")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert caught.value.errors["security_practices/S-Risk-Planning.yml"] == ["lacks shortName"]


def test_a_repeated_id_is_refused(sample_copy):
    replace_in(sample_copy / "answer_sets/B.yml", "id: as-b-0002", "id: as-a-0001")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert "repeats id as-a-0001" in caught.value.errors["answer_sets/B.yml"][0]


def test_a_file_of_the_wrong_type_is_refused(sample_copy):
    shutil.copy(sample_copy / "streams/S-RP-A.yml", sample_copy / "answer_sets/S.yml")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert "expected 'AnswerSet'" in caught.value.errors["answer_sets/S.yml"][0]


def test_an_answer_without_a_number_value_is_refused(sample_copy):
    replace_in(sample_copy / "answer_sets/B.yml", "value: 0.5", "value: half")

    with pytest.raises(InvalidInput) as caught:
        read_samm_model(sample_copy)

    assert list(caught.value.errors) == ["answer_sets/B.yml"]


def test_the_release_gives_name_and_integer_version(sample):
    assert read_samm_model(SAMPLE, release="2.0")["version"] == 200
    assert version_number("3.1") == 301
    with pytest.raises(InvalidInput):
        version_number("v2")


def test_several_questions_for_one_activity_are_numbered(sample_copy):
    second = sample_copy / "questions/B-CR-1-A-bis.yml"
    shutil.copy(sample_copy / "questions/B-CR-1-A.yml", second)
    replace_in(second, "id: q-cr-1-a", "id: q-cr-1-a-bis")
    replace_in(second, "order: 1", "order: 2")

    codes = [q["code"] for q in questions(read_samm_model(sample_copy))]

    assert codes[4:7] == ["B-CR-A-1-1", "B-CR-A-1-2", "B-CR-A-2"]
