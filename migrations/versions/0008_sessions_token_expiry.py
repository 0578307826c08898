"""server-side sessions and API token expiry

Revision ID: 0008
Revises: 0007
Create Date: 2027-02-01 10:00:00.000000

A new table `user_session`: one row per signed-in browser (the cookie carries a random
secret, the row its SHA-256 digest), so that logging out or changing the password ends the
session on the server. Browsers signed in before this revision have no row and must sign in
again.

A new column `api_token.expires_at`, required: tokens that exist get an expiry 90 days after
the upgrade (the default lifetime of a new token), instead of never expiring.
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

EXISTING_TOKENS_DAYS = 90


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('last_seen_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', tracker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('created_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('digest', name=op.f('uq_user_session_digest'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at',
                                      tracker.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
    api_token = sa.table('api_token',
                         sa.column('expires_at', tracker.models.base.UTCDateTime(timezone=True)))
    op.execute(api_token.update().values(
        expires_at=datetime.now(UTC) + timedelta(days=EXISTING_TOKENS_DAYS)))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=tracker.models.base.UTCDateTime(
            timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
