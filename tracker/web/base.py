"""What every page shares: the blueprint, the organization of the page and the viewer's
role in it, the navigation, and the `can(role)` test templates use to hide edit controls.

Pages of an organization call `org_page(org_id)` first: it applies the same tenancy and
role rules as the API (404 for outsiders, 403 below the role) through `services.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, g, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.models import Organization
from tracker.services.tenancy import access, organizations

bp = Blueprint("web", __name__)


@dataclass(frozen=True)
class NavItem:
    """One entry of an organization's menu: shown once its page (endpoint) exists, to
    those who hold at least `role`."""

    key: str
    label: Any
    endpoint: str
    role: str = "viewer"


NAV: tuple[NavItem, ...] = (
    NavItem("frameworks", _l("Frameworks"), "web.frameworks"),
    NavItem("diagnostic", _l("Diagnostic"), "web.assessments"),
    NavItem("targets", _l("Targets"), "web.targets"),
    NavItem("objectives", _l("Objectives"), "web.objectives"),
    NavItem("backlog", _l("Backlog"), "web.backlog"),
    NavItem("roadmap", _l("Roadmap"), "web.roadmap"),
    NavItem("barometer", _l("Barometer"), "web.barometer"),
    NavItem("kpis", _l("KPIs"), "web.kpis"),
    NavItem("schedules", _l("Schedules"), "web.schedules"),
    NavItem("committees", _l("Committees"), "web.committees"),
    NavItem("decisions", _l("Decisions"), "web.decisions"),
    NavItem("members", _l("Members"), "web.members"),
    NavItem("webhooks", _l("Webhooks"), "web.webhooks", role="ops"),
    NavItem("settings", _l("Settings"), "web.organization_settings", role="lead"),
    NavItem("audit", _l("Audit log"), "web.audit_log", role="lead"),
)


def org_page(org_id: int, min_role: str = "viewer") -> Organization:
    """The organization of this page, if the signed-in user holds `min_role` in it."""
    org = access.org_for(current_user, org_id, min_role)
    g.org = org
    g.role = access.role_in(current_user, org_id)
    return org


def can(role: str) -> bool:
    """Whether the signed-in user holds at least `role` in the page's organization."""
    held = g.get("role")
    return held is not None and access.ROLE_RANK[held] >= access.ROLE_RANK[role]


def _nav_links(org: Organization | None) -> list[dict[str, Any]]:
    if org is None:
        return []
    return [{"key": item.key, "label": item.label,
             "url": url_for(item.endpoint, org_id=org.id)}
            for item in NAV if item.endpoint in current_app.view_functions and can(item.role)]


def _switch_links(orgs: list[Organization], section: str | None) -> list[dict[str, Any]]:
    """The switcher's organizations, each linked to the section shown now (`active_nav`)
    where that organization's menu offers it to the user, else to its assessments: one
    changes organization and stays on the same page kind."""
    if not orgs:
        return []
    item = next((i for i in NAV if i.key == section
                 and i.endpoint in current_app.view_functions), None)
    roles = ({} if item is None or current_user.is_admin
             else organizations.roles_of(current_user, [org.id for org in orgs]))
    links = []
    for org in orgs:
        role = "lead" if current_user.is_admin else roles.get(org.id)
        endpoint = "web.assessments"
        if item is not None and role is not None and (
                access.ROLE_RANK[role] >= access.ROLE_RANK[item.role]):
            endpoint = item.endpoint
        links.append({"org": org, "url": url_for(endpoint, org_id=org.id)})
    return links


@bp.app_context_processor
def _page_context() -> dict[str, Any]:
    """The organization switcher, the menu and `can` for every template."""
    org = g.get("org")
    orgs: list[Organization] = []
    if current_user and current_user.is_authenticated:
        orgs = organizations.list_organizations(current_user, 1, 200).items
    section = g.get("active_nav")
    return {"can": can, "current_org": org, "nav_orgs": _switch_links(orgs, section),
            "nav_links": _nav_links(org), "active_nav": section}
