"""Demo certificates and delivery rights, written as they would have happened.

Each holder completes the certification's required course and passes its exam on a day in the
past; the daily sweeps run on the days a certificate expired or a grace period ended; one
certificate is revoked by the vendor's programme manager. Everything goes through the same services
as real use, with the clock set to the day it happened, so certificates, PDFs, reminders, rights and
their audit trails tell one consistent story: an expired certificate, a revoked one, some expiring
within 30 days, and partners whose rights are active, in grace and lapsed (one of them last
month)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

from certifications.certificates import lifecycle
from certifications.certificates.renewal import add_months
from certifications.exams import services
from certifications.exams.selectors import required_courses
from certifications.models import (
    AttemptQuestion,
    Certificate,
    CertificationPage,
    DeliveryRightEvent,
    DeliveryRightRule,
    Exam,
)
from certifications.rights import services as rights
from community.models import Membership, Product, User
from courses import services as course_services
from courses.models import Enrolment, LessonProgress
from courses.selectors import lessons_live_of

DATABASE = "nimbus-certified-database-engineer"
KUBERNETES = "nimbus-certified-kubernetes-engineer"
WIRELESS = "arclight-certified-wireless-associate"

# (product, certifications that count, engineers needed, grace days, products per engineer)
RULES = [
    ("nimbus-managed-postgresql", [DATABASE], 1, 90, None),
    ("nimbus-kubernetes-engine", [KUBERNETES], 2, 60, None),
    ("arclight-campus-wifi", [WIRELESS], 1, 90, 2),
]

# (holder, certification, days ago the exam was passed). Certificates last 24 months.
PASSES = [
    ("mateo.silva@andesdigital.example", DATABASE, 930),  # expired 200 days ago: Andes Digital lapsed
    # Expired 112 days ago: Shanghai Cloudbridge's campus Wi-Fi right lapsed 21 days ago, so asking
    # who was authorised on a day before that answers differently from today.
    ("li.na@cloudbridge.example", WIRELESS, 842),
    ("david.chen@summitcloud.example", KUBERNETES, 745),  # expired 15 days ago: Summit Cloud in grace
    ("lea.fischer@northwind.example", KUBERNETES, 712),  # expires within 3 weeks
    ("anna.schmidt@northwind.example", DATABASE, 703),  # expires within 30 days
    ("maria.garcia@summitcloud.example", KUBERNETES, 400),
    ("li.na@cloudbridge.example", KUBERNETES, 120),
    ("alexei.smirnov@balticsystems.example", DATABASE, 95),  # revoked 10 days ago
    ("zhang.min@cloudbridge.example", KUBERNETES, 60),
    ("wang.wei@cloudbridge.example", DATABASE, 30),
    ("sofia.rojas@andesdigital.example", WIRELESS, 21),
]

# (holder, certification, days ago, reason, note)
REVOCATIONS = [
    (
        "alexei.smirnov@balticsystems.example",
        DATABASE,
        10,
        Certificate.RevocationReason.EXAM_MISCONDUCT,
        "The proctoring review found the exam was taken with outside help.",
    ),
]


@contextmanager
def demo_clock(at: datetime) -> Iterator[None]:
    """Run services as if it were `at`: every `timezone.now()` (and so `timezone.localdate()`)
    returns it. Only the demo moves the clock; services that take `now=` are given it too."""
    with mock.patch.object(timezone, "now", return_value=at):
        yield


def _rules() -> None:
    manager = User.objects.filter(is_superuser=True).first()
    for product_slug, certification_slugs, needed, grace, cap in RULES:
        product = Product.objects.filter(slug=product_slug).first()
        certifications = list(CertificationPage.objects.filter(slug__in=certification_slugs))
        if product is None or not certifications or DeliveryRightRule.objects.filter(product=product).exists():
            continue
        rule = DeliveryRightRule(product=product, min_engineers=needed, grace_days=grace, max_products_per_engineer=cap)
        rights.delivery_rule_save(rule=rule, certifications=certifications, changed_by=manager)


def _complete_required_courses(user: User, certification: CertificationPage, at: datetime) -> None:
    for course in required_courses(certification=certification):
        course_services.course_enrol(user=user, course=course)
        for lesson in lessons_live_of(course=course):
            course_services.lesson_complete(user=user, lesson=lesson)
        # Enrolment and progress rows take their creation time from the model default.
        Enrolment.objects.filter(user=user, course=course).update(enrolled_at=at - timedelta(days=14))
        LessonProgress.objects.filter(user=user, course=course).update(completed_at=at - timedelta(days=2))


def _pass_exam(user: User, exam: Exam, at: datetime) -> Certificate | None:
    attempt = services.attempt_start(exam=exam, user=user, now=at)
    moment = at + timedelta(minutes=1)
    for question in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        selected = [i for i, option in enumerate(question.options) if option["correct"]]
        if question.kind != "multiple":
            selected = selected[:1]
        services.attempt_answer(attempt=attempt, position=question.position, selected=selected, now=moment)
        moment += timedelta(seconds=40)
    services.attempt_submit(attempt=attempt, now=moment)
    return Certificate.objects.filter(attempt=attempt).first()


def _organisation_id(user: User) -> int | None:
    return Membership.objects.current().filter(user=user).values_list("organisation_id", flat=True).first()


def _recompute(user: User, cause: str, at: datetime) -> None:
    organisation_id = _organisation_id(user)
    if organisation_id is not None:
        rights.rights_recompute_organisation(organisation_id=organisation_id, cause=cause, now=at)


def _daily(at: datetime) -> None:
    """The daily sweeps as they run in production on day `at`."""
    day = at.date()
    expired = list(
        Certificate.objects.filter(status=Certificate.Status.VALID, expires_on__lte=day).select_related("holder")
    )
    lifecycle.certificates_expire(today=day)
    lifecycle.certificate_reminders_send(today=day)
    for certificate in expired:
        _recompute(certificate.holder, DeliveryRightEvent.Cause.CERTIFICATE_EXPIRED, at)
    rights.rights_recheck_all(now=at)


def _history(now: datetime) -> list[tuple[datetime, str, tuple]]:
    """Every demo event with the day it happens, in order: passes, revocations, and the daily sweep
    on each day a certificate expires or a grace period ends, and today."""
    events = [(now - timedelta(days=days), "pass", (email, slug)) for email, slug, days in PASSES]
    events += [
        (now - timedelta(days=days), "revoke", (email, slug, reason, note))
        for email, slug, days, reason, note in REVOCATIONS
    ]
    grace = {slugs[0]: days for _product, slugs, _needed, days, _cap in RULES}
    for _email, slug, days in PASSES:
        passed = now - timedelta(days=days)
        expiry = datetime.combine(add_months(passed.date(), 24), passed.timetz())
        for day in (expiry, expiry + timedelta(days=grace[slug] + 1)):
            if day < now:
                events.append((day, "daily", ()))
    events.append((now, "daily", ()))
    return sorted(events, key=lambda event: event[0])


def seed(*, exams: dict[str, Exam]) -> dict:
    """Write the demo history once; returns the serial of one certificate in each status."""
    holders = [email for email, _slug, _days in PASSES]
    if Certificate.objects.filter(holder__email__in=holders).exists():
        return _serials()
    _rules()
    now = timezone.now().replace(second=0, microsecond=0)
    for at, kind, args in _history(now):
        with demo_clock(at):
            if kind == "pass":
                email, slug = args
                user, exam = User.objects.filter(email=email).first(), exams.get(slug)
                if user is None or exam is None:
                    continue
                _complete_required_courses(user, exam.certification, at)
                if _pass_exam(user, exam, at) is not None:
                    _recompute(user, DeliveryRightEvent.Cause.CERTIFICATE_ISSUED, at)
            elif kind == "revoke":
                email, slug, reason, note = args
                certificate = Certificate.objects.filter(holder__email=email, certification__slug=slug).first()
                manager = certificate and certificate.vendor.manager_group.user_set.order_by("pk").first()
                if manager is not None:
                    lifecycle.certificate_revoke(
                        certificate=certificate, reason=reason, note=note, revoked_by=manager, now=at
                    )
                    _recompute(certificate.holder, DeliveryRightEvent.Cause.CERTIFICATE_REVOKED, at)
            else:
                _daily(at)
    return _serials()


def _serials() -> dict[str, str]:
    return {
        status: serial
        for status in Certificate.Status.values
        if (
            serial := Certificate.objects.filter(status=status)
            .order_by("issued_at")
            .values_list("serial", flat=True)
            .first()
        )
    }
