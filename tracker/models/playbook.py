"""The organization profile and the playbook of initiative templates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, Timestamped

TEMPLATE_CLASSES: tuple[str, ...] = ("quick_win", "structural_lever")


class OrganizationProfile(Timestamped, Model):
    """What the playbook rules know of an organization: size, layers, people, growth."""

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        unique=True)
    size_band: Mapped[str | None] = mapped_column(String(20))
    management_levels: Mapped[int | None]
    product_tech_people: Mapped[int | None]
    growth_outlook: Mapped[str | None] = mapped_column(String(20))
    regulatory_constraints: Mapped[list[str]] = mapped_column(JSON, default=list)


class PlaybookTemplate(Timestamped, Model):
    """An initiative template: built-in (`org_id` null) or an organization's own.

    An organization's template with the code of a built-in one overrides it for that
    organization; `retired` hides a template from the playbook and the suggestions.
    """

    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    template_class: Mapped[str] = mapped_column("class", String(20), default="quick_win")
    duration_weeks: Mapped[float | None]
    uplifts: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    success_criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    retired: Mapped[bool] = mapped_column(default=False)
    # the language the texts are written in; `translations` add the others
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))
