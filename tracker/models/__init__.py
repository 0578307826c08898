"""Flask-SQLAlchemy models, one module per aggregate; importing this registers them all."""

from tracker.models.accounts import ApiToken, User
from tracker.models.assessments import Assessment, Evidence, Rating, Respondent
from tracker.models.backlog import Dependency, Initiative, Uplift
from tracker.models.findings import Finding, Target
from tracker.models.frameworks import Axis, Dimension, Framework, Question, ScaleLevel
from tracker.models.organizations import Membership, Organization

__all__ = [
    "ApiToken",
    "Assessment",
    "Axis",
    "Dependency",
    "Dimension",
    "Evidence",
    "Finding",
    "Framework",
    "Initiative",
    "Membership",
    "Organization",
    "Question",
    "Rating",
    "Respondent",
    "ScaleLevel",
    "Target",
    "Uplift",
    "User",
]
