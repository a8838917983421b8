from .archives import CertificateArchive
from .attempts import Accommodation, AttemptQuestion, ExamAttempt, ExamAuditEvent
from .banks import Option, Question, QuestionKind, QuestionPool, QuestionTag, QuestionTranslation, Scoring
from .certificate_imports import CertificateImport
from .certificates import Certificate, CertificateEvent, CertificatePdfBatch, CertificateReminder, CertificateTemplate
from .exams import Exam, ExamSection
from .name_corrections import NameCorrection
from .pages import CertificationPage, CertificationRequiredCourse
from .right_credentials import DeliveryRightCredential
from .rights import (
    DeliveryRightEvent,
    DeliveryRightRule,
    DeliveryRightRuleChange,
    OrganisationDeliveryRight,
    RightsCheck,
    RightStatus,
)

__all__ = [
    "Accommodation",
    "AttemptQuestion",
    "Certificate",
    "CertificateArchive",
    "CertificateEvent",
    "CertificateImport",
    "CertificatePdfBatch",
    "CertificateReminder",
    "CertificateTemplate",
    "CertificationPage",
    "CertificationRequiredCourse",
    "DeliveryRightCredential",
    "DeliveryRightEvent",
    "DeliveryRightRule",
    "DeliveryRightRuleChange",
    "Exam",
    "NameCorrection",
    "ExamAttempt",
    "ExamAuditEvent",
    "ExamSection",
    "Option",
    "OrganisationDeliveryRight",
    "Question",
    "QuestionKind",
    "QuestionPool",
    "QuestionTag",
    "QuestionTranslation",
    "RightStatus",
    "RightsCheck",
    "Scoring",
]
