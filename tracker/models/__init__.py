"""Flask-SQLAlchemy models, one module per aggregate; importing this registers them all."""

from tracker.models.accounts import ApiToken, CalendarFeed, User, UserIdentity, UserSession
from tracker.models.answers import Answer
from tracker.models.assessments import Assessment, Evidence, Rating, Respondent
from tracker.models.backlog import (
    AuditEvent,
    CriterionScore,
    Dependency,
    Initiative,
    Pilot,
    RaterInput,
    ScorecardCriterion,
    Uplift,
)
from tracker.models.decisions import Committee, Decision
from tracker.models.findings import Finding, Target
from tracker.models.frameworks import Axis, Dimension, Framework, Question, ScaleLevel
from tracker.models.kpis import Kpi, Measurement, Objective
from tracker.models.organizations import Invitation, Membership, Organization
from tracker.models.outbox import OutboxAsset, OutboxMessage, Webhook, WebhookDelivery
from tracker.models.playbook import OrganizationProfile, PlaybookTemplate
from tracker.models.roadmap import BaselineItem, Phase, RoadmapBaseline
from tracker.models.root_causes import finding_root_cause
from tracker.models.schedules import BackgroundJob, Schedule

__all__ = [
    "Answer",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "Axis",
    "BackgroundJob",
    "BaselineItem",
    "CalendarFeed",
    "Committee",
    "CriterionScore",
    "Decision",
    "Dependency",
    "Dimension",
    "Evidence",
    "Finding",
    "Framework",
    "Initiative",
    "Invitation",
    "Kpi",
    "Measurement",
    "Membership",
    "Objective",
    "Organization",
    "OrganizationProfile",
    "OutboxAsset",
    "OutboxMessage",
    "Phase",
    "Pilot",
    "PlaybookTemplate",
    "Question",
    "RaterInput",
    "Rating",
    "Respondent",
    "RoadmapBaseline",
    "ScaleLevel",
    "Schedule",
    "ScorecardCriterion",
    "Target",
    "Uplift",
    "User",
    "UserIdentity",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
    "finding_root_cause",
]
