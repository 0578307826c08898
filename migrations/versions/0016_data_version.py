"""the organization's data version

Revision ID: 0016
Revises: 0015
Create Date: 2027-05-10 09:00:00.000000

Performance at scale (DESIGN section 4: computed once per version of its inputs).
`organization.data_version` counts the writes of the organization's data; it is bumped in the
same transaction as each write, and the derived state (graph, ranking, plan) is cached per
process under (organization, version, arguments). Plain ADD COLUMN with a server default:
SQLite does not rebuild this referenced table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    """Add the organization's data version, 0 for the existing rows."""
    op.add_column('organization', sa.Column('data_version', sa.Integer(), nullable=False,
                                            server_default='0'))


def downgrade():
    """Drop the data version."""
    with op.batch_alter_table('organization') as batch:
        batch.drop_column('data_version')
