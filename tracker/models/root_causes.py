"""Root causes: a finding can be the symptom of another one (an acyclic graph)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table

from tracker.extensions import db

finding_root_cause = Table(
    "finding_root_cause",
    db.metadata,
    Column("symptom_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
    Column("root_cause_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
)
