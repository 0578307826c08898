"""Dependencies between initiatives: the edge list, with cycles refused; and the bounded
reads the pages show (a page of the list, one initiative's neighbourhood, the picker's
search), each in a number of queries that does not grow with the organization."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import aliased

from tracker.domain.errors import DependencyCycle, NotFound
from tracker.domain.graph import check_new_edge
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization, User
from tracker.services.decide.graph import load_graph
from tracker.services.decide.initiatives import audit
from tracker.services.locks import lock_organization_graphs
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction


def list_dependencies(org: Organization, page: int, per_page: int) -> Page[Dependency]:
    """The organization's dependencies by id."""
    return paginate(select(Dependency).where(Dependency.org_id == org.id)
                    .order_by(Dependency.id), page, per_page)


def add_dependency(org: Organization, actor: User | None,
                   data: Mapping[str, Any]) -> Dependency:
    """`dependent` waits for `prerequisite`: both of the organization (else 404); a
    self-dependency is 422, a duplicate 409, and a cycle 409 with `cycle` and `cycle_titles`.

    The graph is checked under the organization's graph lock, so two requests at the same
    instant (A → B and B → A) cannot both pass the check: the later one sees the first edge."""
    prerequisite = get_owned(Initiative, org, data["prerequisite_id"], "Initiative")
    dependent = get_owned(Initiative, org, data["dependent_id"], "Initiative")
    with transaction():
        lock_organization_graphs(org)
        graph, initiatives = load_graph(org)
        try:
            check_new_edge(graph, prerequisite.id, dependent.id, data.get("lag_weeks", 0.0))
        except DependencyCycle as cycle:
            cycle.extra["cycle_titles"] = [initiatives[node].title for node in cycle.cycle]
            raise
        edge = Dependency(org_id=org.id, prerequisite_id=prerequisite.id,
                          dependent_id=dependent.id, lag_weeks=data.get("lag_weeks", 0.0))
        db.session.add(edge)
        db.session.flush()
        _audit(org, actor, edge, "create")
    return edge


def delete_dependency(org: Organization, actor: User | None, dependency_id: int) -> None:
    """Remove a dependency."""
    edge = get_owned(Dependency, org, dependency_id, "Dependency")
    with transaction():
        _audit(org, actor, edge, "delete")
        db.session.delete(edge)


def _audit(org: Organization, actor: User | None, edge: Dependency, action: str) -> None:
    """One event on each initiative's trail."""
    state = {"prerequisite_id": edge.prerequisite_id, "dependent_id": edge.dependent_id,
             "lag_weeks": edge.lag_weeks}
    changes = {k: [None, v] if action == "create" else [v, None] for k, v in state.items()}
    for initiative_id in (edge.prerequisite_id, edge.dependent_id):
        audit(org, actor, "dependency", edge.id, initiative_id, action, changes)


# Bounded reads: a page of the list, one initiative's neighbourhood, the picker's search ----

#: The most initiatives one level of a neighbourhood keeps on each side (prerequisites,
#: dependents): a hub with hundreds of links shows this many and says there are more.
NEIGHBOURHOOD_WIDTH = 40
#: The most levels a neighbourhood reaches on each side.
MAX_LEVELS = 3
#: The most suggestions a picker search answers.
MAX_SEARCH = 50
#: How a typed picker names an initiative by id: `123`, `#123`, or `#123 Its title`.
_ID = re.compile(r"#(\d{1,9})(?:\s.*)?|(\d{1,9})", re.DOTALL)


@dataclass(frozen=True)
class InitiativeRef:
    """An initiative as lists and pickers show it: id, title, status, archived or not."""

    id: int
    title: str
    status: str
    archived: bool = False


@dataclass(frozen=True)
class DependencyRow:
    """One dependency of the list, both ends titled."""

    id: int
    prerequisite: InitiativeRef
    dependent: InitiativeRef
    lag_weeks: float


@dataclass(frozen=True)
class Neighbourhood:
    """An initiative's prerequisites and dependents up to some levels: `prerequisites` and
    `dependents` list `(level, initiative)` (level 1 the direct ones), `edges` the links
    between the initiatives shown, and `truncated` whether a level kept only
    `NEIGHBOURHOOD_WIDTH` of its initiatives."""

    center: InitiativeRef
    prerequisites: list[tuple[int, InitiativeRef]]
    dependents: list[tuple[int, InitiativeRef]]
    edges: list[tuple[int, int]]
    truncated: bool


def _ref_columns() -> tuple[Any, ...]:
    return (Initiative.id, Initiative.title, Initiative.status, Initiative.archived_at)


def _ref(row: Any) -> InitiativeRef:
    return InitiativeRef(row[0], row[1], row[2], row[3] is not None)


def dependency_rows(org: Organization, page: int, per_page: int,
                    text: str = "") -> Page[DependencyRow]:
    """A page of the organization's dependencies by id, both ends titled, in two queries;
    `text` keeps those where either end's title contains it (any case)."""
    before, after = aliased(Initiative), aliased(Initiative)
    stmt = (select(Dependency.id, Dependency.lag_weeks,
                   before.id, before.title, before.status, before.archived_at,
                   after.id, after.title, after.status, after.archived_at)
            .join(before, before.id == Dependency.prerequisite_id)
            .join(after, after.id == Dependency.dependent_id)
            .where(Dependency.org_id == org.id).order_by(Dependency.id))
    if text.strip():
        pattern = f"%{_escaped(text.strip().lower())}%"
        stmt = stmt.where(or_(func.lower(before.title).like(pattern, escape="\\"),
                              func.lower(after.title).like(pattern, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=[DependencyRow(r[0], _ref(r[2:6]), _ref(r[6:10]), r[1]) for r in rows],
                total=total or 0, page=page, per_page=per_page)


def neighbourhood(org: Organization, initiative_id: int, levels: int = 1) -> Neighbourhood:
    """The initiative's prerequisites and dependents up to `levels` levels (at most
    `MAX_LEVELS`), in `levels + 2` queries whatever the size of the organization: the
    initiative, one query of links per level (both sides at once), then the titles.

    A level keeps at most `NEIGHBOURHOOD_WIDTH` initiatives on each side (lowest ids
    first); archived and dropped initiatives are shown like the others (marked)."""
    center = db.session.execute(select(*_ref_columns()).where(
        Initiative.org_id == org.id, Initiative.id == initiative_id)).first()
    if center is None:
        raise NotFound(f"Initiative {initiative_id} not found.")
    seen = {initiative_id}
    up, down = [initiative_id], [initiative_id]
    found: dict[str, list[tuple[int, int]]] = {"up": [], "down": []}
    edges: set[tuple[int, int]] = set()
    truncated = False
    for level in range(1, max(1, min(levels, MAX_LEVELS)) + 1):
        rows = db.session.execute(select(Dependency.prerequisite_id, Dependency.dependent_id)
                                  .where(Dependency.org_id == org.id,
                                         or_(Dependency.dependent_id.in_(up),
                                             Dependency.prerequisite_id.in_(down)))).all()
        up_set, down_set = set(up), set(down)
        nxt_up = sorted({p for p, d in rows if d in up_set} - seen)
        nxt_down = sorted({d for p, d in rows if p in down_set} - seen - set(nxt_up))
        truncated |= len(nxt_up) > NEIGHBOURHOOD_WIDTH or len(nxt_down) > NEIGHBOURHOOD_WIDTH
        up, down = nxt_up[:NEIGHBOURHOOD_WIDTH], nxt_down[:NEIGHBOURHOOD_WIDTH]
        found["up"] += [(level, n) for n in up]
        found["down"] += [(level, n) for n in down]
        seen |= set(up) | set(down)
        edges |= {(p, d) for p, d in rows if p in seen and d in seen}
    refs = {row[0]: _ref(row) for row in db.session.execute(
        select(*_ref_columns()).where(Initiative.org_id == org.id,
                                      Initiative.id.in_(sorted(seen - {initiative_id}))))}
    return Neighbourhood(_ref(center), [(lv, refs[n]) for lv, n in found["up"] if n in refs],
                         [(lv, refs[n]) for lv, n in found["down"] if n in refs],
                         sorted(edges), truncated)


def search_initiatives(org: Organization, text: str, limit: int = 20) -> list[InitiativeRef]:
    """At most `limit` (≤ `MAX_SEARCH`) initiatives of the organization whose title contains
    `text` (any case), or whose id it is (`123` or `#123`): the id's one first, then titles
    starting with the text, then by title; archived ones last. One query."""
    text = text.strip()
    limit = max(1, min(limit, MAX_SEARCH))
    pattern = _escaped(text.lower())
    wanted = _id_of(text)
    matches: ColumnElement[bool] = func.lower(Initiative.title).like(f"%{pattern}%",
                                                                     escape="\\")
    if wanted is not None:
        matches = or_(matches, Initiative.id == wanted)
    order = [case((Initiative.id == (wanted or 0), 0), else_=1),
             case((Initiative.archived_at.is_(None), 0), else_=1),
             case((func.lower(Initiative.title).like(f"{pattern}%", escape="\\"), 0), else_=1),
             func.lower(Initiative.title), Initiative.id]
    rows = db.session.execute(select(*_ref_columns()).where(Initiative.org_id == org.id, matches)
                              .order_by(*order).limit(limit))
    return [_ref(row) for row in rows]


def find_initiatives(org: Organization, text: str) -> list[InitiativeRef]:
    """The initiatives `text` names, for a typed picker: the one of that id (`123` or
    `#123`, when it is the organization's), else those whose title is exactly the text
    (any case; at most two, enough to tell it is ambiguous). One or two queries."""
    text = text.strip()
    wanted = _id_of(text)
    if wanted is not None:
        row = db.session.execute(select(*_ref_columns()).where(
            Initiative.org_id == org.id, Initiative.id == wanted)).first()
        if row is not None:
            return [_ref(row)]
    if not text:
        return []
    rows = db.session.execute(select(*_ref_columns()).where(
        Initiative.org_id == org.id, func.lower(Initiative.title) == text.lower())
        .order_by(Initiative.id).limit(2))
    return [_ref(row) for row in rows]


def initiative_refs(org: Organization, ids: Iterable[int]) -> dict[int, InitiativeRef]:
    """The organization's initiatives among `ids`, by id, in one query (for the titles of
    a page's rows: pass only the ids shown)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {row[0]: _ref(row) for row in db.session.execute(
        select(*_ref_columns()).where(Initiative.org_id == org.id, Initiative.id.in_(wanted)))}


def _id_of(text: str) -> int | None:
    """The id `text` names: `123`, `#123`, or `#123 ` followed by anything (a picker's
    suggestion is `#123 Title`); else None.

    >>> [_id_of(t) for t in ("123", "#123", "#123 Lead time", "123 Lead time", "Lead")]
    [123, 123, 123, None, None]
    """
    matched = _ID.fullmatch(text.strip())
    return int(matched.group(1) or matched.group(2)) if matched else None


def _escaped(text: str) -> str:
    """`text` for a LIKE pattern, its wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
