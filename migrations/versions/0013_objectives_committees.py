"""objectives, committees, KPIs by family and perimeter, pilot criteria, decision dossiers

Revision ID: 0013
Revises: 0012
Create Date: 2027-03-22 09:00:00.000000

From ambition to evidence (DESIGN sections 3 and 5). New tables: `objective` with its links to
KPIs, initiatives and dimensions, `kpi_initiative`, and `committee`. New columns: a KPI's
`family`, `owner` and perimeter (`perimeter_kind`, default `organization` on existing rows,
and `perimeter_name`); a pilot's `criteria` (KPI thresholds, `[]` on existing pilots); a
decision's `committee_id` and dossier texts (empty on existing decisions); a schedule's
`committee_id` (kind `committee_pack`). Plain ADD COLUMN where other tables reference the
table, so SQLite does not rebuild it.
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

DOSSIER = ('context', 'options', 'risks', 'portfolio_impact', 'success_indicators')


def _link_table(name, left, right):
    """A many-to-many link table `name` between `left` and `right`, cascading deletes."""
    op.create_table(
        name,
        sa.Column(f'{left}_id', sa.Integer(), nullable=False),
        sa.Column(f'{right}_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([f'{left}_id'], [f'{left}.id'],
                                name=op.f(f'fk_{name}_{left}_id_{left}'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint([f'{right}_id'], [f'{right}.id'],
                                name=op.f(f'fk_{name}_{right}_id_{right}'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint(f'{left}_id', f'{right}_id', name=op.f(f'pk_{name}')),
    )


def _org_scoped_table(name, *columns):
    """A table of one organization, with timestamps, like every `OrgScoped` model."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        *columns,
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('created_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'],
                                name=op.f(f'fk_{name}_org_id_organization'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    op.create_index(op.f(f'ix_{name}_org_id'), name, ['org_id'], unique=False)


def upgrade():
    """Create the tables, then add the columns with their defaults."""
    _org_scoped_table('objective',
                      sa.Column('title', sa.String(length=300), nullable=False),
                      sa.Column('description', sa.Text(), nullable=False),
                      sa.Column('horizon', sa.Date(), nullable=True))
    _org_scoped_table('committee',
                      sa.Column('name', sa.String(length=200), nullable=False),
                      sa.Column('level', sa.String(length=20), nullable=False),
                      sa.Column('cron', sa.String(length=100), nullable=True),
                      sa.Column('timezone', sa.String(length=64), nullable=True),
                      sa.Column('member_emails', sa.JSON(), nullable=False))
    _link_table('kpi_initiative', 'kpi', 'initiative')
    _link_table('objective_kpi', 'objective', 'kpi')
    _link_table('objective_initiative', 'objective', 'initiative')
    _link_table('objective_dimension', 'objective', 'dimension')

    op.add_column('kpi', sa.Column('family', sa.String(length=20), nullable=True))
    op.add_column('kpi', sa.Column('owner', sa.String(length=200), nullable=True))
    op.add_column('kpi', sa.Column('perimeter_kind', sa.String(length=20), nullable=False,
                                   server_default='organization'))
    op.add_column('kpi', sa.Column('perimeter_name', sa.String(length=200), nullable=True))
    op.add_column('pilot', sa.Column('criteria', sa.JSON(), nullable=False,
                                     server_default=sa.text("'[]'")))
    for column in DOSSIER:
        op.add_column('decision', sa.Column(column, sa.Text(), nullable=False,
                                            server_default=''))
    _add_reference('decision', 'committee_id', 'SET NULL')
    _add_reference('schedule', 'committee_id', 'CASCADE')


def _add_reference(table, column, ondelete):
    """Add a nullable, indexed foreign key to `committee` (batch mode: SQLite rebuilds the
    table, which no other table references)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)
        batch_op.create_foreign_key(batch_op.f(f'fk_{table}_{column}_committee'), 'committee',
                                    [column], ['id'], ondelete=ondelete)


def downgrade():
    """Drop the columns, then the tables (objectives, committees and criteria are lost;
    decisions keep their level)."""
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_committee_id'))
        batch_op.drop_column('committee_id')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_committee_id'))
        batch_op.drop_column('committee_id')
        for column in DOSSIER:
            batch_op.drop_column(column)
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.drop_column('criteria')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        for column in ('perimeter_name', 'perimeter_kind', 'owner', 'family'):
            batch_op.drop_column(column)
    for table in ('objective_dimension', 'objective_initiative', 'objective_kpi',
                  'kpi_initiative'):
        op.drop_table(table)
    for table in ('committee', 'objective'):
        op.drop_index(op.f(f'ix_{table}_org_id'), table_name=table)
        op.drop_table(table)
