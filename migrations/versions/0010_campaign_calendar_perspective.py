"""a campaign's planned dates and a respondent's perspective

Revision ID: 0010
Revises: 0009
Create Date: 2027-03-01 09:00:00.000000

`assessment.planned_open_on` and `assessment.planned_close_on` (dates in the organization's
calendar) let a lead plan a campaign and the cockpit count the time left; opening and closing
stay explicit acts recorded in `opened_at`/`closed_at`. `respondent.perspective` (`client` or
`consultant`, DESIGN's glossary) groups a cross self-assessment. Existing rows get nulls: no
plan and no perspective are known.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    """Add the three nullable columns."""
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_open_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_close_on', sa.Date(), nullable=True))
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('perspective', sa.String(length=20), nullable=True))


def downgrade():
    """Drop them (plans and perspectives are forgotten, ratings stay)."""
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_column('perspective')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('planned_close_on')
        batch_op.drop_column('planned_open_on')
