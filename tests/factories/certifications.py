"""Certification exam builders: a published certification page under a vendor's academy, pools
with questions, an exam whose sections draw from them, and attempts through the services."""

import itertools

import factory

from certifications.models import (
    CertificationPage,
    CertificationRequiredCourse,
    Exam,
    ExamSection,
    Option,
    Question,
    QuestionPool,
)
from tests.factories import courses as course_factories
from tests.factories.community import VendorFactory

_seq = itertools.count(1)


class QuestionPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionPool

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Pool {n}")


def question(*, pool: QuestionPool, kind: str = "single", scoring: str = "all_or_nothing", options=None, **fields):
    """A question with options `[(text, correct), ...]` (default: four, the first correct)."""
    n = next(_seq)
    fields.setdefault("text", f"Question {n}: which is right?")
    fields.setdefault("explanation", f"Explanation {n}.")
    q = Question.objects.create(pool=pool, kind=kind, scoring=scoring, **fields)
    if options is None:
        options = [(f"Right {n}", True), (f"Wrong {n}a", False), (f"Wrong {n}b", False), (f"Wrong {n}c", False)]
    for i, (text, correct) in enumerate(options):
        Option.objects.create(question=q, text=text, is_correct=correct, sort_order=i)
    return q


def certification(*, vendor=None, courses=(), live: bool = True, **fields) -> CertificationPage:
    vendor = vendor or VendorFactory()
    academy = course_factories.academy(vendor=vendor)
    n = next(_seq)
    fields.setdefault("title", f"Certification {n}")
    fields.setdefault("slug", f"certification-{n}")
    fields.setdefault("summary", f"What certification {n} proves.")
    page = CertificationPage(vendor=vendor, **fields)
    page.required_courses = [CertificationRequiredCourse(course=c, sort_order=i) for i, c in enumerate(courses)]
    academy.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def exam(*, certification_page=None, questions: int = 10, draw: int | None = None, sections: int = 1, **fields) -> Exam:
    """An exam with `sections` sections, each drawing `draw` (default all) of `questions` questions
    from its own pool of the certification's vendor."""
    certification_page = certification_page or certification()
    fields.setdefault("cooldown_hours", 0)
    e = Exam.objects.create(certification=certification_page, **fields)
    for s in range(sections):
        pool = QuestionPoolFactory(vendor=certification_page.vendor)
        for _i in range(questions):
            question(pool=pool)
        ExamSection.objects.create(
            exam=e, title=f"Section {s + 1}", pool=pool, question_count=draw or questions, weight=1, sort_order=s
        )
    return e


def answer_all(attempt, *, correct: bool | int = True):
    """Answer every question: all correctly (True), all wrongly (False), or the first `correct`
    correctly and the rest wrongly."""
    from certifications.exams import services
    from certifications.models import AttemptQuestion

    for q in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        right = correct is True or (correct is not False and q.position <= correct)
        pick = [i for i, o in enumerate(q.options) if o["correct"] == right][:1]
        services.attempt_answer(attempt=attempt, position=q.position, selected=pick)


def passed_attempt(*, exam: Exam, user, now=None):
    """A graded, passed attempt made directly, without grading or issuing: the exam rules would
    refuse some candidates an attempt (a holder of a valid certificate, one missing a required
    course) that a test of issuing needs."""
    from datetime import timedelta

    from django.utils import timezone

    from certifications.models import ExamAttempt

    now = now or timezone.now()
    return ExamAttempt.objects.create(
        exam=exam,
        user=user,
        started_at=now - timedelta(minutes=20),
        deadline_at=now + timedelta(minutes=40),
        submitted_at=now,
        pass_mark_percent=70,
        score_percent=100,
        passed=True,
        status=ExamAttempt.Status.GRADED,
    )


def certificate(*, holder, certification_page=None, status: str = "valid", issued_on=None, expires_on=None, **fields):
    """A certificate row as the issuing service leaves it (no PDF), for tests that need someone
    to hold one; `issued_on` defaults to a year ago and `expires_on` to a year ahead."""
    from datetime import timedelta

    from django.utils import timezone

    from certifications.certificates.serials import serial_generate
    from certifications.models import Certificate

    certification_page = certification_page or certification()
    today = timezone.now().date()
    issued_on = issued_on or today - timedelta(days=365)
    expires_on = expires_on or today + timedelta(days=365)
    if status == Certificate.Status.REVOKED:
        fields.setdefault("revoked_at", timezone.now())
    fields.setdefault("serial", serial_generate())
    cert = Certificate.objects.create(
        holder=holder,
        certification=certification_page,
        vendor=certification_page.vendor,
        holder_name=holder.printed_name,
        certification_title=certification_page.title,
        vendor_name=certification_page.vendor.name,
        issued_on=issued_on,
        expires_on=expires_on,
        issued_at=timezone.now(),
        status=status,
        **fields,
    )
    cert.products.set(certification_page.products.all())
    return cert
