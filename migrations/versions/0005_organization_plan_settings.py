"""the organization's current plan: start date and capacity

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-15 10:00:00.000000

Three nullable columns on `organization`: `plan_start` (a date), `plan_capacity`
(initiatives at once) and `plan_points` (capacity points per week). The trajectory, the
barometer's projection and the report plan with them; rows that exist get nulls, which
mean what the product did before: start today, unlimited capacity.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('plan_capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_points', sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('plan_points')
        batch_op.drop_column('plan_capacity')
        batch_op.drop_column('plan_start')
