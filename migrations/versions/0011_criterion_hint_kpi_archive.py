"""a scorecard criterion's scale hint, archived KPIs, a measurement's comment

Revision ID: 0011
Revises: 0010
Create Date: 2027-03-08 09:00:00.000000

`scorecard_criterion.hint` says what a score means on the criterion, shown beside the raters'
inputs (empty for existing criteria). `kpi.archived_at` archives a KPI rather than deleting it:
it leaves the lists and keeps its measurements (null: not archived). `measurement.comment`
records what a value means or where it comes from (empty for existing measurements).
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    """Add the three columns; the two texts default to empty on existing rows."""
    with op.batch_alter_table('scorecard_criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hint', sa.String(length=300), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at',
                                      tracker.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=False, server_default=''))


def downgrade():
    """Drop them (hints and comments are forgotten; archived KPIs come back)."""
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_column('comment')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('scorecard_criterion', schema=None) as batch_op:
        batch_op.drop_column('hint')
