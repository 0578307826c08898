"""Ratings from answers to questions: the `mean` and `samm` rules (DESIGN section 3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import InvalidInput
from tracker.domain.frame.questions import QUESTION_RULES, rating_from_answers

SAMM_VALUES = [0.0, 0.25, 0.5, 1.0]


def test_the_mean_rule_averages_answer_values():
    assert rating_from_answers("mean", [(None, 2), (None, 3), (None, 5)]) == pytest.approx(10 / 3)


def test_the_mean_rule_ignores_streams():
    assert rating_from_answers("mean", [("A", 1), ("A", 2), ("B", 5)]) == pytest.approx(8 / 3)


def test_the_samm_rule_sums_each_stream_then_averages_streams():
    # stream A: 1 + 0.5 + 0.25 = 1.75; stream B: 0.5 + 0 + 0 = 0.5; practice (1.75 + 0.5) / 2
    answers = [("A", 1.0), ("A", 0.5), ("A", 0.25), ("B", 0.5), ("B", 0.0), ("B", 0.0)]

    assert rating_from_answers("samm", answers) == 1.125


def test_the_samm_rule_gives_three_when_every_answer_is_yes_for_most():
    assert rating_from_answers("samm", [(s, 1.0) for s in "AAABBB"]) == 3.0


def test_the_samm_rule_with_a_single_stream_is_its_sum():
    assert rating_from_answers("samm", [("A", 0.25), ("A", 0.5)]) == 0.75


def test_questions_without_stream_form_one_stream():
    assert rating_from_answers("samm", [(None, 1.0), (None, 0.5), ("A", 0.5)]) == 1.0


def test_unanswered_questions_are_skipped():
    assert rating_from_answers("mean", [(None, 4), (None, None)]) == 4
    # stream B has no answer at all: it is left out, not counted as 0
    assert rating_from_answers("samm", [("A", 1.0), ("A", 1.0), ("B", None)]) == 2.0


def test_no_answer_gives_no_rating():
    assert rating_from_answers("mean", []) is None
    assert rating_from_answers("samm", [("A", None)]) is None


def test_an_unknown_rule_is_refused():
    with pytest.raises(InvalidInput) as caught:
        rating_from_answers("median", [(None, 1)])

    assert "question_rule" in caught.value.errors
    assert QUESTION_RULES == ("mean", "samm")


# --- properties -------------------------------------------------------------------------

samm_stream = st.lists(st.sampled_from(SAMM_VALUES), min_size=1, max_size=3)


@given(st.dictionaries(st.sampled_from("AB"), samm_stream, min_size=1))
def test_samm_ratings_lie_between_zero_and_three(streams):
    answers = [(s, v) for s, values in streams.items() for v in values]

    rating = rating_from_answers("samm", answers)

    assert 0 <= rating <= 3
    assert rating == pytest.approx(
        math.fsum(sum(v) for v in streams.values()) / len(streams))


@given(st.lists(st.tuples(st.sampled_from(["A", "B", None]),
                          st.floats(min_value=0, max_value=5)), min_size=1),
       st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(answers, rnd):
    shuffled = list(answers)
    rnd.shuffle(shuffled)

    for rule in QUESTION_RULES:
        assert rating_from_answers(rule, shuffled) == pytest.approx(
            rating_from_answers(rule, answers))


@given(st.lists(st.floats(min_value=1, max_value=5), min_size=1))
def test_the_mean_lies_within_the_answers(values):
    rating = rating_from_answers("mean", [(None, v) for v in values])

    assert min(values) - 1e-9 <= rating <= max(values) + 1e-9
