"""texts of frameworks and playbook templates in several languages

Revision ID: 0012
Revises: 0011
Create Date: 2027-03-15 09:00:00.000000

DESIGN section 9: every text of a framework (scale labels and descriptors, axis and dimension
names and descriptions, level descriptors, questions and their answers) and of a playbook
template may carry translations. `framework.language` and `playbook_template.language` name
the language the texts are written in (existing rows: `en`, the language of every grid and
template so far); a `translations` JSON column on `framework`, `scale_level`, `axis`,
`dimension`, `question` and `playbook_template` holds the other languages' texts, by language
(existing rows: `{}`, none).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TRANSLATED = ('framework', 'scale_level', 'axis', 'dimension', 'question', 'playbook_template')
WITH_LANGUAGE = ('framework', 'playbook_template')


def upgrade():
    """Add `language` (default `en`) and `translations` (default `{}`); a plain ADD COLUMN,
    so SQLite does not rebuild tables that other rows reference."""
    for table in TRANSLATED:
        if table in WITH_LANGUAGE:
            op.add_column(table, sa.Column('language', sa.String(length=5), nullable=False,
                                           server_default='en'))
        op.add_column(table, sa.Column('translations', sa.JSON(), nullable=False,
                                       server_default=sa.text("'{}'")))


def downgrade():
    """Drop them (the texts in the grid's own language stay)."""
    for table in reversed(TRANSLATED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
            if table in WITH_LANGUAGE:
                batch_op.drop_column('language')
