from .pages import AcademyPage, CatalogPage, CourseLevel, CoursePage, LearningPathCourse, LearningPathPage, LessonPage
from .records import Enrolment, LessonProgress, ScormAttempt, ScormPackage, ScormVersion

__all__ = [
    "AcademyPage",
    "CatalogPage",
    "CourseLevel",
    "CoursePage",
    "Enrolment",
    "LearningPathCourse",
    "LearningPathPage",
    "LessonPage",
    "LessonProgress",
    "ScormAttempt",
    "ScormPackage",
    "ScormVersion",
]
