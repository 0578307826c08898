"""The projected maturity trajectory, checkpoint by checkpoint (domain.follow.trajectory)."""

from datetime import date

from tracker.domain.follow.trajectory import Checkpoint, aggregate, project_trajectory
from tracker.domain.graph import build_graph
from tracker.domain.roadmap import PlanItem, default_phases, schedule
from tracker.domain.scoring import AxisSpec, DimensionSpec

Q1, Q2, Q3 = date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)
CHECKPOINTS = [("Phase 1", Q1), ("Phase 2", Q2), ("Phase 3", Q3)]


def test_uplifts_add_up_as_initiatives_finish():
    measured = {"practices.discovery": 2.0, "data.kpis": 1.5}
    uplifts = {1: {"practices.discovery": 0.5},
               2: {"practices.discovery": 0.25, "data.kpis": 1.0},
               3: {"data.kpis": 0.75}}
    ends = {1: date(2025, 2, 1), 2: date(2025, 5, 15), 3: date(2025, 9, 30)}

    result = project_trajectory(measured, uplifts, ends, CHECKPOINTS, scale_max=5)

    assert result == [
        Checkpoint("Phase 1", Q1, {"practices.discovery": 2.5, "data.kpis": 1.5}, (1,)),
        Checkpoint("Phase 2", Q2, {"practices.discovery": 2.75, "data.kpis": 2.5}, (1, 2)),
        Checkpoint("Phase 3", Q3, {"practices.discovery": 2.75, "data.kpis": 3.25},
                   (1, 2, 3)),
    ]


def test_projected_scores_are_capped_at_the_scale_maximum():
    result = project_trajectory({"d": 4.5}, {1: {"d": 1.0}, 2: {"d": 2.0}},
                                {1: Q1, 2: Q2}, CHECKPOINTS, scale_max=5)

    assert [c.dimensions["d"] for c in result] == [5.0, 5.0, 5.0]
    assert isinstance(result[0].dimensions["d"], float)


def test_a_custom_scale_maximum():
    result = project_trajectory({"d": 2.0}, {1: {"d": 1.5}}, {1: Q1}, CHECKPOINTS[:1],
                                scale_max=3)

    assert result[0].dimensions == {"d": 3.0}


def test_a_dimension_with_no_measured_score_stays_null():
    result = project_trajectory({"d": None, "e": 1.0}, {1: {"d": 1.0, "e": 1.0}}, {1: Q1},
                                CHECKPOINTS[:1], scale_max=5)

    assert result[0].dimensions == {"d": None, "e": 2.0}


def test_uplifts_on_unmeasured_dimensions_are_ignored():
    result = project_trajectory({"d": 1.0}, {1: {"other": 2.0}}, {1: Q1}, CHECKPOINTS[:1],
                                scale_max=5)

    assert result[0].dimensions == {"d": 1.0}
    assert result[0].finished == (1,)


def test_an_initiative_counts_when_it_ends_on_or_before_the_checkpoint():
    ends = {1: Q1, 2: date(2025, 4, 2)}

    [first] = project_trajectory({"d": 1.0}, {1: {"d": 1.0}, 2: {"d": 1.0}}, ends,
                                 CHECKPOINTS[:1], scale_max=5)

    assert first.dimensions == {"d": 2.0}
    assert first.finished == (1,)


def test_initiatives_without_an_end_or_an_uplift_never_count():
    result = project_trajectory({"d": 1.0}, {1: {"d": 1.0}, 2: {"d": 2.0}},
                                {2: date(2030, 1, 1), 3: Q1}, CHECKPOINTS, scale_max=5)

    assert [c.dimensions["d"] for c in result] == [1.0, 1.0, 1.0]
    assert [c.finished for c in result] == [(), (), ()]


def test_checkpoints_keep_their_given_order():
    checkpoints = [("Late", Q3), ("Early", Q1)]

    result = project_trajectory({"d": 1.0}, {1: {"d": 1.0}, 2: {"d": 0.5}},
                                {1: Q1, 2: Q2}, checkpoints, scale_max=5)

    assert [(c.name, c.dimensions["d"]) for c in result] == [("Late", 2.5), ("Early", 2.0)]


def test_no_checkpoint_no_trajectory():
    assert project_trajectory({"d": 1.0}, {}, {}, [], scale_max=5) == []


def test_the_trajectory_of_a_scheduled_roadmap_by_default_phase():
    start = date(2025, 1, 6)
    graph = build_graph([1, 2, 3], [(1, 2), (2, 3)])
    plan = schedule(graph, [PlanItem(1, 3, 1), PlanItem(2, 3, 1), PlanItem(3, 3, 1)], start)
    phases = default_phases(plan)  # three phases of three weeks, one initiative each

    result = project_trajectory({"d": 2.0}, {1: {"d": 0.5}, 2: {"d": 0.5}, 3: {"d": 2.5}},
                                {s.id: s.end for s in plan.items},
                                [(p.name, p.end) for p in phases], scale_max=5)

    assert [(c.name, c.dimensions["d"], c.finished) for c in result] == [
        ("Phase 1", 2.5, (1,)), ("Phase 2", 3.0, (1, 2)), ("Phase 3", 5.0, (1, 2, 3))]


AXES = [
    AxisSpec("products", "Products", 1.0, (DimensionSpec("products.vision", "Vision", "products"),
                                           DimensionSpec("products.strategy", "Strategy",
                                                         "products", 3.0))),
    AxisSpec("data", "Data & AI", 3.0, (DimensionSpec("data.kpis", "KPIs", "data"),
                                        DimensionSpec("data.ai", "AI", "data"))),
]


def test_aggregate_gives_weighted_axis_and_overall_scores():
    overall, axes = aggregate({"products.vision": 2.0, "products.strategy": 4.0,
                               "data.kpis": 3.0, "data.ai": None}, AXES)

    # products: (2·1 + 4·3) / 4 = 3.5; data: 3.0 (AI null); overall: (3.5 + 3·3) / 4.
    assert axes == {"products": 3.5, "data": 3.0}
    assert overall == 3.125


def test_aggregate_skips_an_axis_with_no_score():
    overall, axes = aggregate({"products.vision": 2.0}, AXES)

    assert axes == {"products": 2.0, "data": None}
    assert overall == 2.0
    assert aggregate({}, AXES) == (None, {"products": None, "data": None})
