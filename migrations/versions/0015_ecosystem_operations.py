"""external keys, calendar feeds, single sign-on identities, webhooks, background jobs

Revision ID: 0015
Revises: 0014
Create Date: 2027-04-12 09:00:00.000000

Ecosystem and operations (DESIGN section 5). `initiative.external_key` (indexed) and
`external_url` link an item to Jira, Productboard or Aha! (plain ADD COLUMN: SQLite does not
rebuild this referenced table). New tables: `calendar_feed` (a user's revocable roadmap
subscription), `user_identity` (OpenID Connect issuer and subject of a user), `webhook` and
`webhook_delivery` (outgoing calls through the outbox), `background_job` (long work with
progress).
"""
from alembic import op
import sqlalchemy as sa

from tracker.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    """Add the initiative's external link and the five new tables."""
    op.add_column('initiative', sa.Column('external_key', sa.String(length=100), nullable=True))
    op.add_column('initiative', sa.Column('external_url', sa.String(length=2000),
                                          nullable=True))
    op.create_index('ix_initiative_external_key', 'initiative', ['external_key'])

    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('org_id', sa.Integer(), sa.ForeignKey('organization.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False, unique=True),
        sa.Column('last_used_at', UTCDateTime(), nullable=True),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_index('ix_calendar_feed_user_id', 'calendar_feed', ['user_id'])
    op.create_index('ix_calendar_feed_org_id', 'calendar_feed', ['org_id'])

    op.create_table(
        'user_identity',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('issuer', sa.String(length=300), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('last_login_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('issuer', 'subject'))
    op.create_index('ix_user_identity_user_id', 'user_identity', ['user_id'])

    op.create_table(
        'webhook',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('org_id', sa.Integer(), sa.ForeignKey('organization.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('archived_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_index('ix_webhook_org_id', 'webhook', ['org_id'])

    op.create_table(
        'webhook_delivery',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('org_id', sa.Integer(), sa.ForeignKey('organization.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('webhook_id', sa.Integer(), sa.ForeignKey('webhook.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('event', sa.String(length=50), nullable=False),
        sa.Column('dedupe_key', sa.String(length=300), nullable=False, unique=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('response_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
        sa.Column('sent_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_index('ix_webhook_delivery_org_id', 'webhook_delivery', ['org_id'])
    op.create_index('ix_webhook_delivery_webhook_id', 'webhook_delivery', ['webhook_id'])
    op.create_index('ix_webhook_delivery_status', 'webhook_delivery', ['status'])
    op.create_index('ix_webhook_delivery_next_attempt_at', 'webhook_delivery',
                    ['next_attempt_at'])

    op.create_table(
        'background_job',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(length=64), nullable=False, unique=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('org_id', sa.Integer(), sa.ForeignKey('organization.id', ondelete='CASCADE'),
                  nullable=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=300), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('result_file', sa.LargeBinary(), nullable=True),
        sa.Column('result_name', sa.String(length=200), nullable=True),
        sa.Column('result_mime', sa.String(length=100), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('started_at', UTCDateTime(), nullable=True),
        sa.Column('finished_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_index('ix_background_job_org_id', 'background_job', ['org_id'])
    op.create_index('ix_background_job_user_id', 'background_job', ['user_id'])
    op.create_index('ix_background_job_status', 'background_job', ['status'])


def downgrade():
    """Drop the tables and the initiative's external link (those links are forgotten)."""
    for table in ('background_job', 'webhook_delivery', 'webhook', 'user_identity',
                  'calendar_feed'):
        op.drop_table(table)
    op.drop_index('ix_initiative_external_key', table_name='initiative')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_column('external_url')
        batch_op.drop_column('external_key')
