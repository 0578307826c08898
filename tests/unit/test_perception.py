"""Perception gaps and leader gaps (blind spots), computed by hand from DESIGN section 3."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import InvalidInput
from tracker.domain.perception import (
    DimensionGap,
    GroupMean,
    LeaderGap,
    leader_gaps,
    perception_gaps,
)
from tracker.domain.scoring import RatingPoint


def rating(respondent: int, value: float | None, dimension: str = "d", **attrs: str | None,
           ) -> RatingPoint:
    """A rating with overridable respondent attributes."""
    return RatingPoint(respondent, dimension, value, **attrs)


def by_role(pairs: list[tuple[str | None, float | None]], dimension: str = "d",
            start: int = 1) -> list[RatingPoint]:
    """One respondent per `(role, value)` pair, numbered from `start`."""
    return [rating(start + i, value, dimension, role=role) for i, (role, value) in enumerate(pairs)]


def test_a_group_below_min_group_size_is_hidden_and_only_counted():
    # pm: 4, 4, 5 -> 13/3; eng: 2, 2, 3, 1 -> 2.0; designer: 5, 5 (2 people, hidden)
    points = by_role([("pm", 4), ("pm", 4), ("pm", 5), ("eng", 2), ("eng", 2), ("eng", 3),
                      ("eng", 1), ("designer", 5), ("designer", 5)])

    [gap] = perception_gaps(points, "role")

    assert gap.dimension == "d"
    assert gap.groups == (GroupMean("eng", 2.0, 4), GroupMean("pm", 13 / 3, 3))
    assert gap.hidden_groups == 1
    assert gap.gap == pytest.approx(13 / 3 - 2.0)
    assert gap.flagged is True
    assert "designer" not in repr(gap)


def test_the_hidden_group_does_not_widen_the_gap():
    # designers rate 1 but are only two: the gap is between pm (4) and eng (3.5) only
    points = by_role([("pm", 4), ("pm", 4), ("pm", 4), ("eng", 3), ("eng", 4), ("eng", 3),
                      ("eng", 4), ("designer", 1), ("designer", 1)])

    [gap] = perception_gaps(points, "role")

    assert gap.gap == 0.5
    assert gap.flagged is False


def test_group_size_counts_respondents_who_rated_that_dimension():
    # team "core" has three people, but one says "cannot say" on dimension y
    points = [rating(1, 3, "x", team="core"), rating(2, 4, "x", team="core"),
              rating(3, 5, "x", team="core"),
              rating(1, 3, "y", team="core"), rating(2, 4, "y", team="core"),
              rating(3, None, "y", team="core")]

    gaps = {g.dimension: g for g in perception_gaps(points, "team")}

    assert gaps["x"].groups == (GroupMean("core", 4.0, 3),)
    assert gaps["y"].groups == ()
    assert gaps["y"].hidden_groups == 1


def test_respondents_without_the_attribute_form_no_group():
    points = by_role([("pm", 1), ("pm", 1), ("pm", 1), (None, 5), (None, 5), (None, 5)])
    points.append(rating(99, 5, role="  "))

    [gap] = perception_gaps(points, "role")

    assert gap.groups == (GroupMean("pm", 1.0, 3),)
    assert gap.hidden_groups == 0
    assert gap.gap is None
    assert gap.flagged is False


def test_one_shown_group_has_no_gap():
    points = by_role([("pm", 5), ("pm", 5), ("pm", 5), ("eng", 1)])

    [gap] = perception_gaps(points, "role")

    assert (gap.gap, gap.flagged, gap.hidden_groups) == (None, False, 1)


@pytest.mark.parametrize(("high", "low", "flagged"), [
    (4.0, 3.0, True),      # exactly the threshold
    (4.1, 3.1, True),      # 1.0 by hand, 0.9999999999999996 in floats
    (3.99, 3.0, False),
])
def test_a_gap_is_flagged_from_the_threshold_on(high, low, flagged):
    points = by_role([("a", high)] * 3 + [("b", low)] * 3)

    [gap] = perception_gaps(points, "role")

    assert gap.flagged is flagged


def test_the_threshold_is_configurable():
    points = by_role([("a", 5)] * 3 + [("b", 3)] * 3)

    assert perception_gaps(points, "role", threshold=2.5)[0].flagged is False
    assert perception_gaps(points, "role", threshold=2.0)[0].flagged is True


def test_min_group_size_is_configurable():
    points = by_role([("a", 5), ("a", 4), ("b", 2), ("b", 2)])

    [gap] = perception_gaps(points, "role", min_group_size=2)

    assert gap.groups == (GroupMean("a", 4.5, 2), GroupMean("b", 2.0, 2))
    assert gap.gap == 2.5


def test_groups_by_source_show_disagreement_between_sources():
    points = ([rating(i, 4, source="interview") for i in range(3)]
              + [rating(10 + i, 2, source="document") for i in range(3)])

    [gap] = perception_gaps(points, "source")

    assert gap.groups == (GroupMean("document", 2.0, 3), GroupMean("interview", 4.0, 3))
    assert gap.gap == 2.0
    assert gap.flagged


def test_groups_by_level():
    points = ([rating(i, 5, level="leader") for i in range(3)]
              + [rating(10 + i, v, level="team") for i, v in enumerate([2, 3, 4])])

    [gap] = perception_gaps(points, "level")

    assert [(g.name, g.mean) for g in gap.groups] == [("leader", 5.0), ("team", 3.0)]


def test_every_dimension_is_reported_in_the_order_asked():
    points = by_role([("a", 1)] * 3, dimension="x")

    gaps = perception_gaps(points, "role", dimensions=["z", "x"])

    assert [g.dimension for g in gaps] == ["z", "x"]
    assert gaps[0] == DimensionGap("z", (), 0, None, False)


def test_by_default_rated_dimensions_come_sorted_by_code():
    points = by_role([("a", 1)], dimension="b") + by_role([("a", 1)], dimension="a")

    assert [g.dimension for g in perception_gaps(points, "role")] == ["a", "b"]


def test_a_respondent_with_two_ratings_of_a_dimension_counts_once():
    points = [rating(1, 2, role="pm"), rating(1, 4, role="pm"), rating(2, 3, role="pm")]

    [gap] = perception_gaps(points, "role", min_group_size=2)

    assert gap.groups == (GroupMean("pm", 3.0, 2),)


def test_an_unknown_attribute_is_refused():
    with pytest.raises(InvalidInput) as caught:
        perception_gaps([], "salary")

    assert "by" in caught.value.errors


def test_a_min_group_size_below_one_is_refused():
    with pytest.raises(InvalidInput) as caught:
        perception_gaps([], "role", min_group_size=0)

    assert "min_group_size" in caught.value.errors


def test_leaders_rating_higher_than_the_others():
    # leaders 5, 4, 5 -> 14/3; others: team 2, 3 and a respondent with no level 2 -> 7/3
    points = ([rating(i, v, level="leader") for i, v in enumerate([5, 4, 5])]
              + [rating(10, 2, level="team"), rating(11, 3, level="team"), rating(12, 2)])

    gaps = leader_gaps(points)

    assert gaps["d"].leaders_mean == pytest.approx(14 / 3)
    assert gaps["d"].others_mean == pytest.approx(7 / 3)
    assert gaps["d"].difference == pytest.approx(7 / 3)
    assert (gaps["d"].n_leaders, gaps["d"].n_others) == (3, 3)


def test_too_few_leaders_hide_both_means():
    points = ([rating(i, 5, level="leader") for i in range(2)]
              + [rating(10 + i, 1, level="team") for i in range(5)])

    assert leader_gaps(points) == {"d": LeaderGap(None, None, None, 2, 5)}


def test_too_few_others_hide_both_means():
    points = ([rating(i, 5, level="leader") for i in range(4)]
              + [rating(10 + i, 1, level="team") for i in range(2)])

    assert leader_gaps(points)["d"] == LeaderGap(None, None, None, 4, 2)


def test_the_leader_level_and_group_size_are_settings():
    points = ([rating(i, 4, level="exec") for i in range(2)]
              + [rating(10 + i, 3, level="leader") for i in range(2)])

    gap = leader_gaps(points, leader_level="exec", min_group_size=2)["d"]

    assert gap == LeaderGap(4.0, 3.0, 1.0, 2, 2)


def test_leader_gaps_cover_the_dimensions_asked():
    assert leader_gaps([], dimensions=["x"]) == {"x": LeaderGap(None, None, None, 0, 0)}


# --- properties -----------------------------------------------------------------------

roles = st.sampled_from(["pm", "eng", "design", "data", None])
values = st.one_of(st.none(), st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]))
respondents = st.lists(st.tuples(roles, st.dictionaries(st.sampled_from(["x", "y"]), values,
                                                        min_size=1)),
                       max_size=30)


def as_points(people) -> list[RatingPoint]:
    return [RatingPoint(i, dim, value, role=role)
            for i, (role, answers) in enumerate(people) for dim, value in answers.items()]


@given(respondents, st.integers(min_value=1, max_value=5),
       st.floats(min_value=0, max_value=4))
def test_shown_groups_are_never_smaller_than_min_group_size(people, min_size, threshold):
    points = as_points(people)

    for gap in perception_gaps(points, "role", min_group_size=min_size, threshold=threshold):
        rated = {p.role for p in points if p.dimension == gap.dimension
                 and p.value is not None and p.role is not None}
        assert all(g.n >= min_size for g in gap.groups)
        assert len(gap.groups) + gap.hidden_groups == len(rated)
        means = [g.mean for g in gap.groups]
        if len(means) >= 2:
            assert gap.gap == max(means) - min(means)
            assert gap.flagged == (gap.gap >= threshold - 1e-9)
        else:
            assert gap.gap is None and not gap.flagged


@given(respondents)
def test_group_means_lie_within_the_ratings(people):
    points = as_points(people)

    for gap in perception_gaps(points, "role", min_group_size=1):
        for group in gap.groups:
            vals = [p.value for p in points if p.dimension == gap.dimension
                    and p.role == group.name and p.value is not None]
            assert min(vals) - 1e-9 <= group.mean <= max(vals) + 1e-9


@given(respondents, st.randoms(use_true_random=False))
def test_the_order_of_ratings_does_not_matter(people, rnd: random.Random):
    points = as_points(people)
    shuffled = list(points)
    rnd.shuffle(shuffled)

    for a, b in zip(perception_gaps(shuffled, "role", min_group_size=1),
                    perception_gaps(points, "role", min_group_size=1), strict=True):
        assert [g.name for g in a.groups] == [g.name for g in b.groups]
        assert [g.mean for g in a.groups] == pytest.approx([g.mean for g in b.groups])
        assert a.hidden_groups == b.hidden_groups


levels = st.sampled_from(["leader", "manager", "team", None])


@given(st.lists(st.tuples(levels, values), max_size=30), st.integers(1, 4))
def test_the_leader_difference_is_leaders_minus_others(people, min_size):
    points = [RatingPoint(i, "d", v, level=lv) for i, (lv, v) in enumerate(people)]

    gap = leader_gaps(points, min_group_size=min_size, dimensions=["d"])["d"]

    rated = [p for p in points if p.value is not None]
    assert gap.n_leaders == sum(p.level == "leader" for p in rated)
    assert gap.n_others == len(rated) - gap.n_leaders
    if gap.n_leaders >= min_size and gap.n_others >= min_size:
        assert gap.difference == pytest.approx(gap.leaders_mean - gap.others_mean)
    else:
        assert gap.difference is None and gap.leaders_mean is None
