"""Owner load (issue 17): each owner's weeks of work in flight per phase of the plan, and
the overload flag `weeks > 1.5 × phase_weeks`. Hand cases first, then properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.roadmap import OVERLOAD_FACTOR, OwnerLoad, Phase, overlap_weeks, owner_load

MON = date(2025, 1, 6)


def day(n: int) -> date:
    return MON + timedelta(days=n)


#: Q1 is 6 weeks [day 0, day 42), Q2 is 2 weeks [day 42, day 56).
PHASES = [Phase("Q1", day(0), day(42)), Phase("Q2", day(42), day(56))]


def test_weeks_are_the_overlap_of_each_initiative_with_the_phase():
    work = [("Ana", day(0), day(28)),      # 4 weeks, all in Q1
            ("Ana", day(35), day(49)),     # 1 week in Q1, 1 week in Q2
            ("Bo", day(14), day(56))]      # 4 weeks in Q1, 2 in Q2
    assert owner_load(work, PHASES) == [
        OwnerLoad("Ana", "Q1", 5.0, 6.0, False),   # 4 + 1 = 5 ≤ 9
        OwnerLoad("Bo", "Q1", 4.0, 6.0, False),
        OwnerLoad("Ana", "Q2", 1.0, 2.0, False),
        OwnerLoad("Bo", "Q2", 2.0, 2.0, False)]


def test_an_owner_is_overloaded_past_one_and_a_half_initiatives_at_once():
    # Q2 lasts 2 weeks: the threshold is 1.5 × 2 = 3 weeks. Two initiatives over all of Q2
    # are 4 weeks > 3: overloaded. One over Q2 and one for its first week are 3 weeks:
    # exactly the threshold, not over it.
    full, half = (day(42), day(56)), (day(42), day(49))
    assert owner_load([("Ana", *full), ("Ana", *full)], PHASES)[1] == OwnerLoad(
        "Ana", "Q2", 4.0, 2.0, True)
    assert owner_load([("Ana", *full), ("Ana", *half)], PHASES)[1] == OwnerLoad(
        "Ana", "Q2", 3.0, 2.0, False)
    assert OVERLOAD_FACTOR == 1.5


def test_the_factor_can_be_chosen():
    work = [("Ana", day(42), day(56))]     # 2 weeks in a 2-week phase
    assert owner_load(work, PHASES, factor=0.5)[1].overloaded   # 2 > 0.5 × 2


def test_work_outside_every_phase_or_without_an_owner_is_left_out():
    work = [("Ana", day(56), day(70)), (None, day(0), day(14)), ("  ", day(0), day(14))]
    assert owner_load(work, PHASES) == []
    assert owner_load([("Ana", day(0), day(7))], []) == []


def test_owners_are_trimmed_grouped_case_insensitively_and_shown_as_first_written():
    work = [("Zoé", day(0), day(7)), ("  ana", day(0), day(7)), ("ANA", day(0), day(7))]
    rows = owner_load(work, PHASES[:1])
    assert [(r.owner, r.weeks) for r in rows] == [("ana", 2.0), ("Zoé", 1.0)]


def test_overlap_of_touching_windows_is_zero():
    assert overlap_weeks(day(0), day(7), day(7), day(14)) == 0.0
    assert overlap_weeks(day(0), day(21), day(7), day(14)) == 1.0


# ------------------------------------------------------------------------------- properties

owners = st.sampled_from(["Ana", "Bo", "Chloé", None])
spans = st.tuples(st.integers(0, 120), st.integers(1, 60))
works = st.lists(st.tuples(owners, spans), max_size=12).map(
    lambda rows: [(owner, day(s), day(s + length)) for owner, (s, length) in rows])
cuts = st.lists(st.integers(1, 60), min_size=1, max_size=5)


def tiling(lengths: list[int], offset: int = 0) -> list[Phase]:
    """Consecutive phases of these lengths in days, from day `offset`."""
    phases, begin = [], offset
    for k, length in enumerate(lengths):
        phases.append(Phase(f"P{k}", day(begin), day(begin + length)))
        begin += length
    return phases


@given(works, cuts)
def test_phases_that_cover_all_the_work_share_out_every_owner_s_weeks(work, lengths):
    # One phase from day 0 to past every end, then cut in consecutive pieces: each owner's
    # weeks over the pieces add up to the sum of their initiatives' durations.
    last = max([end for _, _, end in work], default=day(1))
    lengths = [*lengths, max(1, (last - day(sum(lengths))).days)]
    rows = owner_load(work, tiling(lengths))
    for owner in {o for o, _, _ in work if o}:
        shown = sum(r.weeks for r in rows if r.owner == owner)
        expected = sum((end - start).days for o, start, end in work if o == owner) / 7
        assert abs(shown - expected) < 1e-9


@given(works, cuts, st.integers(0, 100))
def test_overloaded_means_more_than_the_factor_times_the_phase(work, lengths, offset):
    for r in owner_load(work, tiling(lengths, offset)):
        assert r.overloaded == (r.weeks > OVERLOAD_FACTOR * r.phase_weeks)
        carried = sum(1 for o, _, _ in work if (o or "").casefold() == r.owner.casefold())
        assert 0 <= r.weeks <= carried * r.phase_weeks + 1e-9   # at most full-time each


@given(works, cuts, st.integers(0, 100))
def test_the_table_is_full_and_does_not_depend_on_the_order_of_the_work(work, lengths, offset):
    phases = tiling(lengths, offset)
    rows = owner_load(work, phases)
    loaded = {r.owner for r in rows if r.weeks > 0}
    assert len(rows) == len(loaded) * len(phases)
    assert [r.phase for r in rows] == [p.name for p in phases for _ in loaded]
    assert owner_load(list(reversed(work)), phases) == rows
