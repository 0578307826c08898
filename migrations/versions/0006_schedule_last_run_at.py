"""when a schedule last ran its job

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-15 11:00:00.000000

One nullable column on `schedule`: `last_run_at`, the moment the job last ran its work
(shown on the schedules page in the schedule's time zone, and in the API). Rows that exist
get a null: their last run is unknown.
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_run_at',
                                      tracker.models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.drop_column('last_run_at')
