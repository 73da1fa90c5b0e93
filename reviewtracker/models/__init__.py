"""All models, importable from one place (and so registered with the metadata for Alembic)."""

from reviewtracker.models.activity import Activity, ActivityCategory, Notification
from reviewtracker.models.documents import DocumentVersion, GuidanceDocument, Section, VersionStatus
from reviewtracker.models.exports import Export, ExportKind
from reviewtracker.models.feedback import (
    Feedback,
    FeedbackEdit,
    FeedbackImport,
    FeedbackLanguage,
    FeedbackState,
    FeedbackType,
    Priority,
    Tag,
    TriageStatus,
)
from reviewtracker.models.reference import (
    Country,
    GuidingPrinciple,
    LeadAgency,
    Objective,
    Organisation,
    StakeholderType,
)
from reviewtracker.models.rounds import AnswerState, GuidingAnswer, GuidingQuestion, ReviewRound, RoundCountry
from reviewtracker.models.triage import (
    Acknowledgement,
    Response,
    ResponseTemplate,
    RevisionItem,
    RevisionLink,
    RevisionStatus,
    TriageNote,
)
from reviewtracker.models.users import ApiToken, OneTimeToken, Role, TokenPurpose, User

__all__ = [
    "Acknowledgement",
    "Activity",
    "ActivityCategory",
    "AnswerState",
    "ApiToken",
    "Country",
    "DocumentVersion",
    "Export",
    "ExportKind",
    "Feedback",
    "FeedbackEdit",
    "FeedbackImport",
    "FeedbackLanguage",
    "FeedbackState",
    "FeedbackType",
    "GuidanceDocument",
    "GuidingAnswer",
    "GuidingPrinciple",
    "GuidingQuestion",
    "LeadAgency",
    "Notification",
    "Objective",
    "OneTimeToken",
    "Organisation",
    "Priority",
    "Response",
    "ResponseTemplate",
    "ReviewRound",
    "RevisionItem",
    "RevisionLink",
    "RevisionStatus",
    "Role",
    "RoundCountry",
    "Section",
    "StakeholderType",
    "Tag",
    "TokenPurpose",
    "TriageNote",
    "TriageStatus",
    "User",
    "VersionStatus",
]
