"""Pages of query results: two queries (the page and the count), whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from tracker.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and the total count of the whole list."""

    items: list[T]
    total: int
    page: int
    per_page: int


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """The `page`-th page (from 1) of `stmt`'s rows, `per_page` at a time."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
