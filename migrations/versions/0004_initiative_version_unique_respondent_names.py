"""initiative versions; respondent names unique per assessment

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 10:00:00.000000

* `initiative.version` (integer, not null, from 1): counts the writes of an initiative, so a
  client that edits with `If-Match: "<version>"` is refused (412) rather than overwriting a
  change it never saw. Existing initiatives start at 1.
* A unique index on `respondent (assessment_id, name)`: a name is one person or source of
  the assessment, and a concurrent double submit can no longer create two (an index, not a
  table constraint, so that SQLite adds it without rebuilding the table, which would cascade
  to the ratings through their foreign keys). Databases that
  already hold two respondents of one name in an assessment keep them all: the later ones
  (by id) are renamed `Name (2)`, `Name (3)`... (a free name, within the 200 characters),
  each rename logged; their ratings, answers and survey links are untouched.
"""
import logging
from collections import defaultdict

from alembic import context, op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

logger = logging.getLogger('alembic.runtime.migration')
NAME_LENGTH = 200
RESPONDENT = sa.table('respondent', sa.column('id', sa.Integer()),
                      sa.column('assessment_id', sa.Integer()),
                      sa.column('name', sa.String(NAME_LENGTH)))


def upgrade():
    """Add the version column, give duplicate respondent names a suffix, then the index."""
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
    _rename_duplicate_respondents()
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.create_index('ix_respondent_assessment_id_name', ['assessment_id', 'name'],
                              unique=True)


def downgrade():
    """Drop the index and the column (renamed respondents keep their new names)."""
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_index('ix_respondent_assessment_id_name')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_column('version')


def _rename_duplicate_respondents():
    """Rename the second and later respondents of one name in an assessment (by id)."""
    if context.is_offline_mode():
        logger.warning('0004 renames duplicate respondent names by reading them; offline it '
                       'cannot, and the unique index fails on a database that has some.')
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(RESPONDENT.c.id, RESPONDENT.c.assessment_id,
                                        RESPONDENT.c.name).order_by(RESPONDENT.c.id)).all()
    taken = defaultdict(set)
    for _, assessment_id, name in rows:
        taken[assessment_id].add(name)
    seen = defaultdict(set)
    for respondent_id, assessment_id, name in rows:
        if name not in seen[assessment_id]:
            seen[assessment_id].add(name)
            continue
        new_name = _free_name(name, taken[assessment_id])
        taken[assessment_id].add(new_name)
        connection.execute(RESPONDENT.update().where(RESPONDENT.c.id == respondent_id)
                           .values(name=new_name))
        logger.warning('respondent %s of assessment %s: a second %r, renamed %r',
                       respondent_id, assessment_id, name, new_name)


def _free_name(name, taken):
    """`name (n)` for the smallest n ≥ 2 not taken, the name cut to fit the column."""
    number = 2
    while True:
        suffix = f' ({number})'
        candidate = name[:NAME_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1
