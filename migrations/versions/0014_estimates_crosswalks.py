"""three-point estimates of initiatives, crosswalks between framework versions

Revision ID: 0014
Revises: 0013
Create Date: 2027-03-29 09:00:00.000000

Trust in the trend (DESIGN sections 3 and 5). `initiative.estimate_optimistic`,
`estimate_likely` and `estimate_pessimistic` (weeks, null on existing initiatives: the
forecast then uses `duration_weeks`). `framework.previous_version` names the version of the
same code a grid follows (null: none) and `framework.crosswalk` how the previous version's
dimensions map onto it (`[]` on existing grids). Plain ADD COLUMN, so SQLite does not
rebuild these referenced tables.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ESTIMATES = ('estimate_optimistic', 'estimate_likely', 'estimate_pessimistic')


def upgrade():
    """Add the nullable estimates and the framework's version link and crosswalk."""
    for column in ESTIMATES:
        op.add_column('initiative', sa.Column(column, sa.Double(), nullable=True))
    op.add_column('framework', sa.Column('previous_version', sa.Integer(), nullable=True))
    op.add_column('framework', sa.Column('crosswalk', sa.JSON(), nullable=False,
                                         server_default=sa.text("'[]'")))


def downgrade():
    """Drop them (estimates and crosswalks are forgotten)."""
    with op.batch_alter_table('framework', schema=None) as batch_op:
        batch_op.drop_column('crosswalk')
        batch_op.drop_column('previous_version')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        for column in reversed(ESTIMATES):
            batch_op.drop_column(column)
