"""The time left before a campaign's planned opening or closing (tracker.domain.campaign)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.campaign import KINDS, TimeLeft, time_left

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
MAYBE = st.none() | DAYS


def test_an_open_campaign_counts_the_days_to_its_planned_close():
    # 15 Mar 2027 - 3 Mar 2027 = 12 days
    assert time_left("open", date(2027, 3, 3), date(2027, 3, 1), date(2027, 3, 15)) == \
        TimeLeft("closes_in", 12, date(2027, 3, 15))


def test_a_passed_planned_close_is_overdue_by_whole_days():
    # 18 Mar - 15 Mar = 3 days ago
    left = time_left("open", date(2027, 3, 18), None, date(2027, 3, 15))
    assert (left.kind, left.days, left.overdue) == ("overdue_close", 3, True)


def test_a_draft_looks_at_its_planned_opening_only():
    assert time_left("draft", date(2027, 3, 1), date(2027, 3, 11), date(2027, 2, 1)) == \
        TimeLeft("opens_in", 10, date(2027, 3, 11))
    assert time_left("draft", date(2027, 3, 1), date(2027, 2, 27), None) == \
        TimeLeft("overdue_open", 2, date(2027, 2, 27))
    assert time_left("draft", date(2027, 3, 1), None, date(2027, 3, 20)).kind == "none"


def test_a_closed_campaign_or_no_planned_date_says_nothing():
    assert time_left("closed", date(2027, 3, 1), date(2027, 1, 1), date(2027, 2, 1)).kind == "none"
    assert time_left("open", date(2027, 3, 1), date(2027, 1, 1), None).kind == "none"


@given(st.sampled_from(["draft", "open", "closed"]), DAYS, MAYBE, MAYBE)
def test_the_days_always_lead_back_to_the_planned_date(status, today, open_on, close_on):
    left = time_left(status, today, open_on, close_on)

    assert left.kind in KINDS
    if left.kind == "none":
        assert left.days is None and left.on is None
        return
    assert left.days is not None and left.days >= 0
    assert left.on == (open_on if status == "draft" else close_on)
    sign = -1 if left.overdue else 1
    assert today + timedelta(days=sign * left.days) == left.on
    assert left.overdue == (left.on < today)
