"""Answers: a respondent's answer to one question of a dimension that has questions."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped


class Answer(OrgScoped, Timestamped, Model):
    """One respondent's answer value to one question (null: "cannot say").

    The respondent's rating of the question's dimension is computed from these answers by
    the framework's `question_rule` and stored as a `Rating`, so scores read ratings only.
    """

    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"),
                                               index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"),
                                             index=True)
    value: Mapped[float | None]
