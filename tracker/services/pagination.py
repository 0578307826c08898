"""Pages of query results: two queries (the page and the count), whatever the size; and
pages of a list already in memory (a cached ranking)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from tracker.extensions import db

T = TypeVar("T")

#: Rows a page shows unless asked otherwise, and the most it may show (the API's bound).
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and the total count of the whole list."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list makes (at least 1)."""
        return max(1, -(-self.total // max(1, self.per_page)))


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """The `page`-th page (from 1) of `stmt`'s rows, `per_page` at a time."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)


def page_of(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """The `page`-th page (from 1) of a list in memory; a page past the end is the last.

    >>> page_of(list(range(1, 8)), 2, 3).items, page_of(list(range(1, 8)), 9, 3).items
    ([4, 5, 6], [7])
    """
    last = max(1, -(-len(items) // max(1, per_page)))
    page = min(max(1, page), last)
    start = (page - 1) * per_page
    return Page(items=list(items[start:start + per_page]), total=len(items), page=page,
                per_page=per_page)


def page_args(args: Mapping[str, Any], default: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to `MAX_PER_PAGE`) read from query arguments; a
    missing or unreadable one takes its default.

    >>> page_args({"page": "3", "per_page": "500"}), page_args({"page": "x"})
    ((3, 200), (1, 50))
    """
    def number(name: str, fallback: int) -> int:
        raw = str(args.get(name, "") or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 7 else fallback

    return max(1, number("page", 1)), min(MAX_PER_PAGE, max(1, number("per_page", default)))
