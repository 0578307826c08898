"""archived initiatives

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 09:00:00.000000

An initiative with history (pilots, decisions, audited changes) is archived rather than
deleted: `initiative.archived_at` records when. Archived initiatives leave the backlog and the
plan and keep their pilots, decisions and audit trail. Existing rows are not archived (null).
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    """Add the nullable `initiative.archived_at` (a timezone-aware UTC moment)."""
    op.add_column('initiative', sa.Column(
        'archived_at', tracker.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    """Drop the column (archived initiatives come back as ordinary ones)."""
    with op.batch_alter_table('initiative') as batch_op:
        batch_op.drop_column('archived_at')
