"""Organization pages: the home page listing the organizations you belong to, the form that
creates one (you become its lead) and its settings page (leads).

One form carries the organization's settings (`OrganizationSchema`) and the profile the
playbook rules read (`ProfileSchema`); both are checked before anything is saved, so every
bad field is reported in one submission. The current plan's settings are edited on the
roadmap page, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.constants import LOCALES
from tracker.domain.frame.playbook import GROWTH_OUTLOOKS, SIZE_BANDS
from tracker.models import Organization
from tracker.schemas.common import flatten_messages
from tracker.schemas.frame import ProfileSchema
from tracker.schemas.tenancy import METHODS, OrganizationSchema
from tracker.services.frame import playbook
from tracker.services.tenancy import organizations
from tracker.web.base import bp, org_page
from tracker.web.forms import form_numbers, number_errors
from tracker.web.labels import METHOD_LABELS, ROLE_LABELS

#: The organization's settings on the form, in order (the plan's are the roadmap page's).
SETTING_FIELDS: tuple[str, ...] = ("name", "locale", "timezone", "min_group_size",
                                   "perception_gap_threshold", "default_method",
                                   "quick_win_max_weeks", "structural_min_weeks")
#: The settings that hold a number with decimals.
NUMBER_FIELDS: tuple[str, ...] = ("perception_gap_threshold", "quick_win_max_weeks",
                                  "structural_min_weeks")
#: The profile's fields that a blank input leaves unknown.
PROFILE_OPTIONAL: tuple[str, ...] = ("size_band", "management_levels", "product_tech_people",
                                     "growth_outlook")
FIELD_LABELS: dict[str, Any] = {
    "name": _l("Name"), "locale": _l("Language of surveys, emails and the report"),
    "timezone": _l("Time zone"), "min_group_size": _l("Minimum group size"),
    "perception_gap_threshold": _l("Perception gap threshold"),
    "default_method": _l("Default prioritization method"),
    "quick_win_max_weeks": _l("Quick win: at most (weeks)"),
    "structural_min_weeks": _l("Structural lever: longer than (weeks)"),
    "size_band": _l("Size"), "management_levels": _l("Management levels"),
    "product_tech_people": _l("People in product and tech"),
    "growth_outlook": _l("Growth outlook"),
    "regulatory_constraints": _l("Regulatory constraints (comma-separated)"),
}
LOCALE_LABELS: dict[str, Any] = {"en": _l("English"), "fr": _l("French")}
SIZE_BAND_LABELS: dict[str, Any] = {"startup": _l("start-up"), "scale_up": _l("scale-up"),
                                    "mid_size": _l("mid-size company"),
                                    "large_group": _l("large group")}
GROWTH_LABELS: dict[str, Any] = {"low": _l("low"), "steady": _l("steady"),
                                 "strong": _l("strong")}
#: The regions whose zones the time zone list offers, grouped (plus UTC on its own).
ZONE_REGIONS: tuple[str, ...] = ("Africa", "America", "Antarctica", "Asia", "Atlantic",
                                 "Australia", "Europe", "Indian", "Pacific")


@bp.get("/")
@login_required
def index() -> str:
    """The organizations you belong to with your role in each, or what to do first."""
    orgs = organizations.list_organizations(current_user, 1, 200).items
    return render_template("index.html", organizations=orgs, role_labels=ROLE_LABELS,
                           roles=organizations.roles_of(current_user, [o.id for o in orgs]))


@bp.route("/orgs/new", methods=["GET", "POST"], endpoint="organization_new")
@login_required
def organization_new() -> Any:
    """Create an organization with its settings and profile; you become its lead."""
    values = _default_values()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            settings, profile = _load(values, partial=False)
        except ValidationError as invalid:
            errors = invalid.messages_dict
        else:
            org = playbook.create_organization_with_profile(current_user, settings, profile)
            flash(_("%(org)s is created; you are its lead.", org=org.name), "success")
            return redirect(url_for("web.members", org_id=org.id), code=303)
    return _form_page(None, values, errors)


@bp.route("/orgs/<int:org_id>/settings", methods=["GET", "POST"],
          endpoint="organization_settings")
@login_required
def organization_settings(org_id: int) -> Any:
    """Edit the organization's settings and profile (leads); changes are audited."""
    org = org_page(org_id, "lead")
    g.active_nav = "settings"
    values = _org_values(org)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            settings, profile = _load(values, partial=True)
        except ValidationError as invalid:
            errors = invalid.messages_dict
        else:
            organizations.update_organization(org, settings, actor=current_user)
            playbook.put_profile(org, profile)
            flash(_("The settings are saved."), "success")
            return redirect(url_for("web.organization_settings", org_id=org.id), code=303)
    return _form_page(org, values, errors)


def _load(values: Mapping[str, Any], *, partial: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings and the profile of the submitted form, both checked before either is
    kept: one ValidationError carries every bad field of the two."""
    settings = form_numbers({name: values[name] for name in SETTING_FIELDS}, NUMBER_FIELDS)
    profile = {name: values[name] or None for name in PROFILE_OPTIONAL}
    profile["regulatory_constraints"] = [item.strip() for item in
                                         values["regulatory_constraints"].split(",")
                                         if item.strip()]
    errors: dict[str, list[str]] = {}
    loaded: list[dict[str, Any]] = []
    for schema, data in ((OrganizationSchema(partial=partial), settings),
                         (ProfileSchema(), profile)):
        try:
            loaded.append(schema.load(data))
        except ValidationError as invalid:
            errors.update(_by_field(number_errors(invalid.messages, FIELD_LABELS)))
    if errors:
        raise ValidationError(errors)
    return loaded[0], loaded[1]


def _by_field(messages: Any) -> dict[str, list[str]]:
    """Messages by form field: a list item's message goes to its list's field."""
    errors: dict[str, list[str]] = {}
    for path, problems in flatten_messages(messages).items():
        errors.setdefault(path.split("[")[0], []).extend(problems)
    return errors


def _form_values() -> dict[str, str]:
    """The submitted fields as typed, to show them back."""
    return {name: request.form.get(name, "").strip()
            for name in (*SETTING_FIELDS, *PROFILE_OPTIONAL, "regulatory_constraints")}


def _default_values() -> dict[str, Any]:
    """A new organization's form: the schema's defaults, in your language and, for French,
    the Paris time zone."""
    defaults = OrganizationSchema().load({"name": "-"})
    locale = current_user.locale if current_user.locale in LOCALES else "en"
    return {**{name: defaults.get(name, "") for name in SETTING_FIELDS},
            "name": "", "locale": locale,
            "timezone": "Europe/Paris" if locale == "fr" else "UTC",
            **{name: "" for name in PROFILE_OPTIONAL}, "regulatory_constraints": ""}


def _org_values(org: Organization) -> dict[str, Any]:
    """The organization's current settings and profile, as the form shows them."""
    profile = playbook.get_profile(org)
    return {**{name: getattr(org, name) for name in SETTING_FIELDS},
            **{name: "" if getattr(profile, name) is None else getattr(profile, name)
               for name in PROFILE_OPTIONAL},
            "regulatory_constraints": ", ".join(profile.regulatory_constraints or [])}


@cache
def zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The IANA time zones offered, by region and by name (legacy aliases left out)."""
    zones = available_timezones()
    return tuple((region, tuple(sorted(z for z in zones if z.startswith(f"{region}/"))))
                 for region in ZONE_REGIONS)


def _form_page(org: Organization | None, values: Mapping[str, Any],
               errors: Mapping[str, list[str]]) -> tuple[str, int]:
    """The create or settings form with the values shown and the errors beside the fields."""
    return render_template(
        "tenancy/organization_form.html", org=org, values=values, errors=errors,
        labels=FIELD_LABELS, locales=LOCALE_LABELS, zone_groups=zone_groups(),
        methods={code: METHOD_LABELS.get(code, code) for code in METHODS},
        size_bands={code: SIZE_BAND_LABELS[code] for code in SIZE_BANDS},
        growth_outlooks={code: GROWTH_LABELS[code] for code in GROWTH_OUTLOOKS},
    ), 422 if errors else 200
