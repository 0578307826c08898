"""repair databases made with an earlier version of 0001

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 16:30:00.000000

Revision 0001 was regenerated in place four times after it was first applied. A database
created with an earlier version is stamped 0001, so Alembic calls it up to date, yet it lacks
what the later rewrites added:

* 11e986c added 8 tables: initiative, dependency, finding, target, uplift, finding_dimension,
  initiative_finding, finding_evidence.
* 43adf11 added 19 tables: outbox_asset, audit_event, decision, kpi, organization_profile,
  outbox_message, phase, playbook_template, roadmap_baseline, schedule, scorecard_criterion,
  baseline_item, criterion_score, measurement, pilot, rater_input, finding_root_cause,
  kpi_dimension, answer.
* 7e9d923 added the column organization.locale (NOT NULL, server default 'en').
* 166168e added the column initiative.template_code (nullable).

Every rewrite only added things: no table or column was renamed, removed or retyped, and no
constraint or index was added to a table that already existed. So the repair only adds. It
inspects the live schema and creates each missing table (with its primary key, foreign keys
and unique constraints), each missing column and each missing index, declared exactly as the
final 0001 declares them. On a database made with the final 0001 nothing is missing and it
does nothing.

The definitions below are copied from the final 0001, not computed from the models at run
time: a migration must keep meaning what it meant when it landed.
"""
import logging

from alembic import context, op
import sqlalchemy as sa

import tracker.models.base


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

logger = logging.getLogger('alembic.runtime.migration')


def upgrade():
    """Add whatever an early 0001 left out; a database at the final 0001 is left untouched."""
    if context.is_offline_mode():
        logger.warning('0002 repairs by inspecting the live schema; offline it emits nothing '
                       '(a database made with the final 0001 needs nothing).')
        return
    _create_missing_tables()
    _add_missing_columns()
    _create_missing_indexes()


def downgrade():
    """Nothing to undo: 0002 only adds what 0001 already declares.

    Everything 0002 may create belongs to the final 0001, so after a downgrade to 0001 the
    database is exactly what 0001 promises. Dropping it again would destroy data and
    reintroduce the very inconsistency this revision repairs.
    """


def _create_missing_tables():
    """Create, in foreign-key order, each table of the final 0001 the database lacks."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns_and_constraints in _tables_added_after_the_first_0001():
        if name not in existing:
            logger.info('0002: creating missing table %s', name)
            op.create_table(name, *columns_and_constraints)


def _add_missing_columns():
    """Add each column that later rewrites of 0001 added to a table that already existed."""
    inspector = sa.inspect(op.get_bind())
    for table, column in _columns_added_to_existing_tables():
        present = {c['name'] for c in inspector.get_columns(table)}
        if column.name not in present:
            logger.info('0002: adding missing column %s.%s', table, column.name)
            op.add_column(table, column)


def _create_missing_indexes():
    """Create each (non-unique) index of the tables above that the database lacks."""
    inspector = sa.inspect(op.get_bind())
    for table, index, columns in _INDEXES:
        present = {i['name'] for i in inspector.get_indexes(table)}
        if index not in present:
            logger.info('0002: creating missing index %s', index)
            op.create_index(op.f(index), table, columns, unique=False)


def _columns_added_to_existing_tables():
    """(table, column) pairs, as in the final 0001; fresh objects on each call."""
    return [
        ('organization',
         sa.Column('locale', sa.String(length=5), server_default='en', nullable=False)),
        ('initiative', sa.Column('template_code', sa.String(length=100), nullable=True)),
    ]


# (table, index, columns) for every index of the tables in _tables_added_after_the_first_0001.
_INDEXES = [
    ('initiative', 'ix_initiative_org_id', ['org_id']),
    ('dependency', 'ix_dependency_dependent_id', ['dependent_id']),
    ('dependency', 'ix_dependency_org_id', ['org_id']),
    ('dependency', 'ix_dependency_prerequisite_id', ['prerequisite_id']),
    ('finding', 'ix_finding_assessment_id', ['assessment_id']),
    ('finding', 'ix_finding_org_id', ['org_id']),
    ('target', 'ix_target_dimension_id', ['dimension_id']),
    ('target', 'ix_target_org_id', ['org_id']),
    ('uplift', 'ix_uplift_dimension_id', ['dimension_id']),
    ('uplift', 'ix_uplift_initiative_id', ['initiative_id']),
    ('audit_event', 'ix_audit_event_entity_id', ['entity_id']),
    ('audit_event', 'ix_audit_event_initiative_id', ['initiative_id']),
    ('audit_event', 'ix_audit_event_org_id', ['org_id']),
    ('decision', 'ix_decision_decided_on', ['decided_on']),
    ('decision', 'ix_decision_org_id', ['org_id']),
    ('kpi', 'ix_kpi_org_id', ['org_id']),
    ('outbox_message', 'ix_outbox_message_next_attempt_at', ['next_attempt_at']),
    ('outbox_message', 'ix_outbox_message_org_id', ['org_id']),
    ('outbox_message', 'ix_outbox_message_status', ['status']),
    ('phase', 'ix_phase_org_id', ['org_id']),
    ('playbook_template', 'ix_playbook_template_org_id', ['org_id']),
    ('roadmap_baseline', 'ix_roadmap_baseline_org_id', ['org_id']),
    ('schedule', 'ix_schedule_org_id', ['org_id']),
    ('scorecard_criterion', 'ix_scorecard_criterion_org_id', ['org_id']),
    ('baseline_item', 'ix_baseline_item_baseline_id', ['baseline_id']),
    ('baseline_item', 'ix_baseline_item_initiative_id', ['initiative_id']),
    ('criterion_score', 'ix_criterion_score_criterion_id', ['criterion_id']),
    ('criterion_score', 'ix_criterion_score_initiative_id', ['initiative_id']),
    ('measurement', 'ix_measurement_kpi_id', ['kpi_id']),
    ('measurement', 'ix_measurement_org_id', ['org_id']),
    ('pilot', 'ix_pilot_initiative_id', ['initiative_id']),
    ('pilot', 'ix_pilot_org_id', ['org_id']),
    ('rater_input', 'ix_rater_input_initiative_id', ['initiative_id']),
    ('answer', 'ix_answer_assessment_id', ['assessment_id']),
    ('answer', 'ix_answer_org_id', ['org_id']),
    ('answer', 'ix_answer_question_id', ['question_id']),
    ('answer', 'ix_answer_respondent_id', ['respondent_id']),
]


def _tables_added_after_the_first_0001():
    """(name, columns and constraints) of each table the first 0001 (7b23ea6) lacked.

    Copied from the final 0001, indexes aside (see _INDEXES); listed so that a table comes
    after every table its foreign keys point to. Fresh objects on each call, since a column
    belongs to one table only.
    """
    UTCDateTime = tracker.models.base.UTCDateTime
    return [
        # Added by 11e986c.
        ('initiative', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('title', sa.String(length=300), nullable=False),
            sa.Column('description', sa.Text(), nullable=False),
            sa.Column('status', sa.String(length=20), nullable=False),
            sa.Column('owner', sa.String(length=200), nullable=True),
            sa.Column('duration_weeks', sa.Double(), nullable=True),
            sa.Column('load', sa.Double(), nullable=True),
            sa.Column('business_value', sa.Double(), nullable=True),
            sa.Column('time_criticality', sa.Double(), nullable=True),
            sa.Column('risk_reduction', sa.Double(), nullable=True),
            sa.Column('job_size', sa.Double(), nullable=True),
            sa.Column('reach', sa.Double(), nullable=True),
            sa.Column('impact', sa.Double(), nullable=True),
            sa.Column('confidence', sa.Double(), nullable=True),
            sa.Column('effort', sa.Double(), nullable=True),
            sa.Column('ease', sa.Double(), nullable=True),
            sa.Column('class_override', sa.String(length=20), nullable=True),
            sa.Column('pinned_start', sa.Date(), nullable=True),
            sa.Column('actual_start', sa.Date(), nullable=True),
            sa.Column('actual_end', sa.Date(), nullable=True),
            sa.Column('template_code', sa.String(length=100), nullable=True),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_initiative_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative')),
        ]),
        ('dependency', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('prerequisite_id', sa.Integer(), nullable=False),
            sa.Column('dependent_id', sa.Integer(), nullable=False),
            sa.Column('lag_weeks', sa.Double(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['dependent_id'], ['initiative.id'], name=op.f('fk_dependency_dependent_id_initiative'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_dependency_org_id_organization'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['prerequisite_id'], ['initiative.id'], name=op.f('fk_dependency_prerequisite_id_initiative'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_dependency')),
            sa.UniqueConstraint('prerequisite_id', 'dependent_id', name=op.f('uq_dependency_prerequisite_id_dependent_id')),
        ]),
        ('finding', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('assessment_id', sa.Integer(), nullable=True),
            sa.Column('kind', sa.String(length=20), nullable=False),
            sa.Column('title', sa.String(length=300), nullable=False),
            sa.Column('description', sa.Text(), nullable=False),
            sa.Column('status', sa.String(length=20), nullable=False),
            sa.Column('suggestion_key', sa.String(length=200), nullable=True),
            sa.Column('metrics', sa.JSON(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_finding_assessment_id_assessment'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_finding_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_finding')),
            sa.UniqueConstraint('assessment_id', 'suggestion_key', name=op.f('uq_finding_assessment_id_suggestion_key')),
        ]),
        ('target', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('dimension_id', sa.Integer(), nullable=False),
            sa.Column('level', sa.Double(), nullable=False),
            sa.Column('valid_from', sa.Date(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_target_dimension_id_dimension'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_target_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
            sa.UniqueConstraint('org_id', 'dimension_id', 'valid_from', name=op.f('uq_target_org_id_dimension_id_valid_from')),
        ]),
        ('uplift', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('dimension_id', sa.Integer(), nullable=False),
            sa.Column('expected', sa.Double(), nullable=False),
            sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_uplift_dimension_id_dimension'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_uplift_initiative_id_initiative'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_uplift')),
            sa.UniqueConstraint('initiative_id', 'dimension_id', name=op.f('uq_uplift_initiative_id_dimension_id')),
        ]),
        ('finding_dimension', [
            sa.Column('finding_id', sa.Integer(), nullable=False),
            sa.Column('dimension_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_finding_dimension_dimension_id_dimension'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_finding_dimension_finding_id_finding'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('finding_id', 'dimension_id', name=op.f('pk_finding_dimension')),
        ]),
        ('initiative_finding', [
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('finding_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_initiative_finding_finding_id_finding'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_initiative_finding_initiative_id_initiative'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('initiative_id', 'finding_id', name=op.f('pk_initiative_finding')),
        ]),
        ('finding_evidence', [
            sa.Column('finding_id', sa.Integer(), nullable=False),
            sa.Column('evidence_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_finding_evidence_evidence_id_evidence'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_finding_evidence_finding_id_finding'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('finding_id', 'evidence_id', name=op.f('pk_finding_evidence')),
        ]),
        # Added by 43adf11.
        ('outbox_asset', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('key', sa.String(length=300), nullable=False),
            sa.Column('filename', sa.String(length=200), nullable=False),
            sa.Column('mime', sa.String(length=100), nullable=False),
            sa.Column('content', sa.LargeBinary(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_asset')),
            sa.UniqueConstraint('key', name=op.f('uq_outbox_asset_key')),
        ]),
        ('audit_event', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('entity', sa.String(length=30), nullable=False),
            sa.Column('entity_id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=True),
            sa.Column('action', sa.String(length=10), nullable=False),
            sa.Column('changes', sa.JSON(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=True),
            sa.Column('at', UTCDateTime(timezone=True), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_audit_event_org_id_organization'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_event_user_id_user'), ondelete='SET NULL'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
        ]),
        ('decision', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('title', sa.String(length=300), nullable=False),
            sa.Column('committee', sa.String(length=20), nullable=False),
            sa.Column('decided_on', sa.Date(), nullable=False),
            sa.Column('participants', sa.JSON(), nullable=False),
            sa.Column('rationale', sa.Text(), nullable=False),
            sa.Column('initiative_ids', sa.JSON(), nullable=False),
            sa.Column('pilot_ids', sa.JSON(), nullable=False),
            sa.Column('finding_ids', sa.JSON(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_decision_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
        ]),
        ('kpi', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('name', sa.String(length=200), nullable=False),
            sa.Column('description', sa.Text(), nullable=False),
            sa.Column('unit', sa.String(length=50), nullable=False),
            sa.Column('direction', sa.String(length=20), nullable=False),
            sa.Column('target', sa.Double(), nullable=True),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_kpi_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi')),
        ]),
        ('organization_profile', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('size_band', sa.String(length=20), nullable=True),
            sa.Column('management_levels', sa.Integer(), nullable=True),
            sa.Column('product_tech_people', sa.Integer(), nullable=True),
            sa.Column('growth_outlook', sa.String(length=20), nullable=True),
            sa.Column('regulatory_constraints', sa.JSON(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_organization_profile_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_profile')),
            sa.UniqueConstraint('org_id', name=op.f('uq_organization_profile_org_id')),
        ]),
        ('outbox_message', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=True),
            sa.Column('dedupe_key', sa.String(length=300), nullable=False),
            sa.Column('recipient', sa.String(length=254), nullable=False),
            sa.Column('subject', sa.String(length=300), nullable=False),
            sa.Column('text', sa.Text(), nullable=False),
            sa.Column('html', sa.Text(), nullable=True),
            sa.Column('attachments', sa.JSON(), nullable=False),
            sa.Column('status', sa.String(length=20), nullable=False),
            sa.Column('attempts', sa.Integer(), nullable=False),
            sa.Column('last_error', sa.Text(), nullable=True),
            sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=False),
            sa.Column('sent_at', UTCDateTime(timezone=True), nullable=True),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_outbox_message_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
            sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_message_dedupe_key')),
        ]),
        ('phase', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('name', sa.String(length=200), nullable=False),
            sa.Column('start', sa.Date(), nullable=False),
            sa.Column('end', sa.Date(), nullable=False),
            sa.Column('position', sa.Integer(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_phase_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_phase')),
        ]),
        ('playbook_template', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=True),
            sa.Column('code', sa.String(length=100), nullable=False),
            sa.Column('title', sa.String(length=300), nullable=False),
            sa.Column('description', sa.Text(), nullable=False),
            sa.Column('class', sa.String(length=20), nullable=False),
            sa.Column('duration_weeks', sa.Double(), nullable=True),
            sa.Column('uplifts', sa.JSON(), nullable=False),
            sa.Column('prerequisites', sa.JSON(), nullable=False),
            sa.Column('success_criteria', sa.JSON(), nullable=False),
            sa.Column('rules', sa.JSON(), nullable=True),
            sa.Column('retired', sa.Boolean(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_playbook_template_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook_template')),
            sa.UniqueConstraint('org_id', 'code', name=op.f('uq_playbook_template_org_id_code')),
        ]),
        ('roadmap_baseline', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('name', sa.String(length=200), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.Column('params', sa.JSON(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_roadmap_baseline_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_baseline')),
            sa.UniqueConstraint('org_id', 'name', name=op.f('uq_roadmap_baseline_org_id_name')),
        ]),
        ('schedule', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('kind', sa.String(length=20), nullable=False),
            sa.Column('cron', sa.String(length=100), nullable=True),
            sa.Column('interval_days', sa.Integer(), nullable=True),
            sa.Column('timezone', sa.String(length=64), nullable=True),
            sa.Column('recipients', sa.JSON(), nullable=False),
            sa.Column('close_after_days', sa.Integer(), nullable=True),
            sa.Column('paused', sa.Boolean(), nullable=False),
            sa.Column('last_period', sa.String(length=20), nullable=True),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_schedule_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule')),
        ]),
        ('scorecard_criterion', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('code', sa.String(length=100), nullable=False),
            sa.Column('name', sa.String(length=200), nullable=False),
            sa.Column('kind', sa.String(length=10), nullable=False),
            sa.Column('weight', sa.Double(), nullable=False),
            sa.Column('position', sa.Integer(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_scorecard_criterion_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_criterion')),
            sa.UniqueConstraint('org_id', 'code', name=op.f('uq_scorecard_criterion_org_id_code')),
        ]),
        ('baseline_item', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('baseline_id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('start', sa.Date(), nullable=False),
            sa.Column('end', sa.Date(), nullable=False),
            sa.ForeignKeyConstraint(['baseline_id'], ['roadmap_baseline.id'], name=op.f('fk_baseline_item_baseline_id_roadmap_baseline'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_baseline_item')),
            sa.UniqueConstraint('baseline_id', 'initiative_id', name=op.f('uq_baseline_item_baseline_id_initiative_id')),
        ]),
        ('criterion_score', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('criterion_id', sa.Integer(), nullable=False),
            sa.Column('score', sa.Double(), nullable=False),
            sa.ForeignKeyConstraint(['criterion_id'], ['scorecard_criterion.id'], name=op.f('fk_criterion_score_criterion_id_scorecard_criterion'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_criterion_score_initiative_id_initiative'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_score')),
            sa.UniqueConstraint('initiative_id', 'criterion_id', name=op.f('uq_criterion_score_initiative_id_criterion_id')),
        ]),
        ('measurement', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('kpi_id', sa.Integer(), nullable=False),
            sa.Column('value', sa.Double(), nullable=False),
            sa.Column('measured_at', sa.Date(), nullable=False),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_measurement_kpi_id_kpi'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_measurement_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement')),
        ]),
        ('pilot', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('teams', sa.JSON(), nullable=False),
            sa.Column('value_stream', sa.String(length=200), nullable=True),
            sa.Column('hypothesis', sa.Text(), nullable=False),
            sa.Column('success_criteria', sa.Text(), nullable=False),
            sa.Column('kpi', sa.String(length=200), nullable=True),
            sa.Column('threshold', sa.Double(), nullable=True),
            sa.Column('start', sa.Date(), nullable=True),
            sa.Column('end', sa.Date(), nullable=True),
            sa.Column('status', sa.String(length=20), nullable=False),
            sa.Column('decision', sa.String(length=20), nullable=True),
            sa.Column('decision_date', sa.Date(), nullable=True),
            sa.Column('rationale', sa.Text(), nullable=True),
            sa.Column('decided_by', sa.String(length=200), nullable=True),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_pilot_initiative_id_initiative'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_pilot_org_id_organization'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot')),
        ]),
        ('rater_input', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('initiative_id', sa.Integer(), nullable=False),
            sa.Column('rater', sa.String(length=200), nullable=False),
            sa.Column('business_value', sa.Double(), nullable=True),
            sa.Column('time_criticality', sa.Double(), nullable=True),
            sa.Column('risk_reduction', sa.Double(), nullable=True),
            sa.Column('job_size', sa.Double(), nullable=True),
            sa.Column('reach', sa.Double(), nullable=True),
            sa.Column('impact', sa.Double(), nullable=True),
            sa.Column('confidence', sa.Double(), nullable=True),
            sa.Column('effort', sa.Double(), nullable=True),
            sa.Column('ease', sa.Double(), nullable=True),
            sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_rater_input_initiative_id_initiative'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_rater_input')),
            sa.UniqueConstraint('initiative_id', 'rater', name=op.f('uq_rater_input_initiative_id_rater')),
        ]),
        ('finding_root_cause', [
            sa.Column('symptom_id', sa.Integer(), nullable=False),
            sa.Column('root_cause_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['root_cause_id'], ['finding.id'], name=op.f('fk_finding_root_cause_root_cause_id_finding'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['symptom_id'], ['finding.id'], name=op.f('fk_finding_root_cause_symptom_id_finding'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('symptom_id', 'root_cause_id', name=op.f('pk_finding_root_cause')),
        ]),
        ('kpi_dimension', [
            sa.Column('kpi_id', sa.Integer(), nullable=False),
            sa.Column('dimension_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_kpi_dimension_dimension_id_dimension'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_dimension_kpi_id_kpi'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('kpi_id', 'dimension_id', name=op.f('pk_kpi_dimension')),
        ]),
        ('answer', [
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('assessment_id', sa.Integer(), nullable=False),
            sa.Column('respondent_id', sa.Integer(), nullable=False),
            sa.Column('question_id', sa.Integer(), nullable=False),
            sa.Column('value', sa.Double(), nullable=True),
            sa.Column('org_id', sa.Integer(), nullable=False),
            sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_answer_assessment_id_assessment'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_answer_org_id_organization'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], name=op.f('fk_answer_respondent_id_respondent'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
            sa.UniqueConstraint('respondent_id', 'question_id', name=op.f('uq_answer_respondent_id_question_id')),
        ]),
    ]
