from .attempts import Accommodation, AttemptPass, AttemptQuestion, ExamAttempt, ExamAuditEvent
from .banks import Option, Question, QuestionKind, QuestionPool, Scoring
from .exams import Exam, ExamSection
from .pages import CertificationPage, CertificationRequiredCourse

__all__ = [
    "Accommodation",
    "AttemptPass",
    "AttemptQuestion",
    "CertificationPage",
    "CertificationRequiredCourse",
    "Exam",
    "ExamAttempt",
    "ExamAuditEvent",
    "ExamSection",
    "Option",
    "Question",
    "QuestionKind",
    "QuestionPool",
    "Scoring",
]
