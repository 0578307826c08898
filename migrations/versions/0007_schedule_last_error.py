"""why and when a schedule's job last failed

Revision ID: 0007
Revises: 0006
Create Date: 2027-02-01 09:00:00.000000

Two nullable columns on `schedule`: `last_error`, the reason the job (or the scheduler
planning it) last failed, and `last_error_at`, when. A failing schedule is recorded and
skipped, the others run; the schedules page and the API show it. Rows that exist get nulls:
no failure is known.
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('last_error_at',
                                      tracker.models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.drop_column('last_error_at')
        batch_op.drop_column('last_error')
