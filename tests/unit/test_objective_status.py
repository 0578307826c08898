"""Objective status from its KPIs' on-target flags (DESIGN section 3, "Objective status")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.follow.effects import kpi_status
from tracker.domain.follow.objectives import OBJECTIVE_STATUSES, objective_status

flags = st.lists(st.sampled_from([True, False, None]), max_size=12)


def test_all_measured_kpis_on_target_is_on_track_even_with_an_unmeasured_one():
    # lead time 4 ≤ 5 (lower is better): on; adoption 90 ≥ 85: on; a third never measured
    lead = kpi_status(4, 5, "lower_is_better").on_target
    adoption = kpi_status(90, 85, "higher_is_better").on_target
    assert objective_status([lead, adoption, None]) == ("on_track", 2, 2, 3)


def test_some_on_target_is_at_risk():
    # lead time 7 > 5: off; adoption 85 ≥ 85: on (the boundary counts as on target)
    lead = kpi_status(7, 5, "lower_is_better").on_target
    adoption = kpi_status(85, 85, "higher_is_better").on_target
    assert objective_status([lead, adoption]) == ("at_risk", 1, 2, 2)


def test_none_on_target_is_off_track():
    # 7 > 5 (lower is better) and 78 < 85 (higher is better): both off
    assert objective_status([kpi_status(7, 5, "lower_is_better").on_target,
                             kpi_status(78, 85, "higher_is_better").on_target,
                             None]) == ("off_track", 0, 2, 3)


def test_no_kpi_measured_or_no_kpi_at_all_is_no_data():
    assert objective_status([None, None]) == ("no_data", 0, 0, 2)
    assert objective_status([]) == ("no_data", 0, 0, 0)


@given(flags)
def test_counts_add_up(values):
    result = objective_status(values)
    assert result.status in OBJECTIVE_STATUSES
    assert result.kpis_total == len(values)
    assert result.kpis_measured == sum(v is not None for v in values)
    assert result.kpis_on_target == sum(v is True for v in values)
    assert 0 <= result.kpis_on_target <= result.kpis_measured <= result.kpis_total


@given(flags)
def test_status_depends_on_the_measured_kpis_only(values):
    measured = [v for v in values if v is not None]
    assert objective_status(values).status == objective_status(measured).status
    expected = ("no_data" if not measured else "on_track" if all(measured)
                else "at_risk" if any(measured) else "off_track")
    assert objective_status(values).status == expected


@given(flags, st.permutations(range(12)))
def test_order_does_not_matter(values, order):
    shuffled = [values[i] for i in order if i < len(values)]
    assert objective_status(shuffled) == objective_status(values)


@given(flags)
def test_one_more_kpi_on_target_never_worsens_the_status(values):
    rank = {s: i for i, s in enumerate(("off_track", "at_risk", "on_track"))}
    before = objective_status(values).status
    after = objective_status([*values, True]).status
    assert after != "no_data"
    if before != "no_data":
        assert rank[after] >= rank[before]
