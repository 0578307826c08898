"""invitations: pending memberships

Revision ID: 0009
Revises: 0008
Create Date: 2027-02-01 10:00:00.000000

A new table `invitation`: an organization, the invited email and role, who invited, the
SHA-256 digest of the link's secret (unique), when it expires, and when it was accepted or
cancelled. Members are now added by invitation; existing memberships are untouched.
"""
from alembic import op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', tracker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', tracker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_invitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_invitation_org_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('digest', name=op.f('uq_invitation_digest'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_org_id'), ['org_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_org_id'))

    op.drop_table('invitation')
