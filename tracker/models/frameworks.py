"""Assessment frameworks: scale, axes, dimensions and questions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Model, Timestamped


class Framework(Timestamped, Model):
    """A versioned assessment grid, shared (no `org_id`) or owned by one organization."""

    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    question_rule: Mapped[str] = mapped_column(String(10), default="mean")
    source_weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # the language the texts are written in; `translations` add the others
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))
    #: the version of the same code this one follows, whose scores `crosswalk` carries over
    previous_version: Mapped[int | None]
    #: how the previous version's dimensions map onto this one's:
    #: `[{"from": old code, "to": new code, "weight": w}]` (rename, split or merge)
    crosswalk: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=sql_text("'[]'"))

    scale: Mapped[list[ScaleLevel]] = relationship(
        order_by="ScaleLevel.value", cascade="all, delete-orphan", back_populates="framework")
    axes: Mapped[list[Axis]] = relationship(
        order_by="Axis.position", cascade="all, delete-orphan", back_populates="framework")

    @property
    def scale_min(self) -> float:
        return self.scale[0].value

    @property
    def scale_max(self) -> float:
        return self.scale[-1].value


class ScaleLevel(Model):
    """One maturity level of a framework's scale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"),
                                              index=True)
    value: Mapped[float]
    label: Mapped[str] = mapped_column(String(100))
    descriptor: Mapped[str] = mapped_column(Text, default="")
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))

    framework: Mapped[Framework] = relationship(back_populates="scale")


class Axis(Model):
    """A top-level part of the grid, with a weight."""

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"),
                                              index=True)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))

    framework: Mapped[Framework] = relationship(back_populates="axes")
    dimensions: Mapped[list[Dimension]] = relationship(
        order_by="Dimension.position", cascade="all, delete-orphan", back_populates="axis")


class Dimension(Model):
    """A scored item under an axis, with a stable code unique within its framework."""

    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"),
                                              index=True)
    axis_id: Mapped[int] = mapped_column(ForeignKey("axis.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))

    axis: Mapped[Axis] = relationship(back_populates="dimensions")
    framework: Mapped[Framework] = relationship()
    questions: Mapped[list[Question]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan", back_populates="dimension")


class Question(Model):
    """A finer item under a dimension with an answer set (answer text → value)."""

    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"),
                                              index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimension.id", ondelete="CASCADE"),
                                              index=True)
    code: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    stream: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # texts in other languages, by language: {"fr": {"name": ..., ...}} (DESIGN section 9)
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'"))

    dimension: Mapped[Dimension] = relationship(back_populates="questions")
    framework: Mapped[Framework] = relationship()
