"""What the certification page shows: called by CertificationPage (certifications/models/pages.py)
when Wagtail serves it."""

from certifications.exams import selectors
from certifications.models import CertificationPage


def certification(*, request, page: CertificationPage) -> dict:
    """What the certification page shows: products, required courses (ticked when done), the exam
    and the visitor's standing and attempts."""
    exam = selectors.exam_for_certification(certification=page)
    context = {"products": list(page.products.order_by("name")), "exam": exam}
    if exam is not None and request.user.is_authenticated:
        standing = selectors.exam_standing(exam=exam, user=request.user)
        missing = {c.pk for c in standing.missing_courses}
        context["standing"] = standing
        context["courses"] = standing.required_courses
        context["courses_done"] = {c.pk for c in standing.required_courses} - missing
        context["attempts"] = list(selectors.attempts_of_user(user=request.user).filter(exam=exam)[:10])
    else:
        context["courses"] = selectors.required_courses(certification=page)
    return context
