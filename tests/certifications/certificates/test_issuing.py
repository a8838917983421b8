from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from certifications.certificates import issuing
from certifications.certificates.issuing import NotPassed, RequiredCoursesIncomplete, certificate_issue
from certifications.certificates.renewal import add_months
from certifications.certificates.serials import serial_check
from certifications.certificates.signals import certificate_changed
from certifications.exams import services
from certifications.models import Certificate, CertificateEvent, Exam
from courses import selectors as course_selectors
from courses import services as course_services
from tests.factories import certifications as f
from tests.factories import courses as course_factories
from tests.factories.community import ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def certification_with_products(*names, vendor_name=None, **fields):
    vendor = VendorFactory(name=vendor_name) if vendor_name else VendorFactory()
    page = f.certification(vendor=vendor, title="Certified Cloud Network Engineer", **fields)
    page.products.set([ProductFactory(vendor=vendor, name=name) for name in names])
    page.save()
    return page


def passed_attempt(*, certification_page=None, user=None, now=None):
    """A graded, passed attempt, without running the hand-off (the tests call issuing themselves)."""
    page = certification_page or certification_with_products("SD-WAN")
    exam = Exam.objects.filter(certification=page).first() or f.exam(certification_page=page, questions=3)
    return f.passed_attempt(exam=exam, user=user or UserFactory(), now=now)


def course_complete(*, user, course):
    course_services.course_enrol(user=user, course=course)
    for lesson in course_selectors.lessons_live_of(course=course):
        course_services.lesson_complete(user=user, lesson=lesson)


@pytest.fixture
def signals():
    received = []

    def receiver(sender, certificate, change, **kwargs):
        received.append((certificate.serial, change))

    certificate_changed.connect(receiver)
    yield received
    certificate_changed.disconnect(receiver)


@pytest.fixture
def no_pdf_task(monkeypatch):
    """Queued PDF tasks are recorded instead of rendered (the PDF has its own tests)."""
    queued = []
    monkeypatch.setattr(issuing, "_pdf_generate_queue", lambda *, certificate_id: queued.append(certificate_id))
    return queued


def test_passing_an_exam_issues_a_certificate_with_the_printed_facts_frozen(
    django_capture_on_commit_callbacks, no_pdf_task
):
    page = certification_with_products("SD-WAN", "Edge Firewall", vendor_name="Northwind Networks", validity_months=24)
    user = UserFactory(full_name="Wang Xiaoming", certificate_name="王小明", preferred_language="zh-hans")
    exam = f.exam(certification_page=page, questions=3)
    attempt = services.attempt_start(exam=exam, user=user)
    f.answer_all(attempt, correct=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=attempt)

    certificate = Certificate.objects.get(attempt=attempt)
    assert serial_check(certificate.serial).ok
    assert certificate.holder == user and certificate.certification_id == page.pk
    assert certificate.holder_name == "王小明"
    assert certificate.certification_title == "Certified Cloud Network Engineer"
    assert certificate.vendor_name == "Northwind Networks" and certificate.vendor_id == page.vendor_id
    assert certificate.product_names == ["Edge Firewall", "SD-WAN"]
    assert set(certificate.products.values_list("name", flat=True)) == {"Edge Firewall", "SD-WAN"}
    assert certificate.language == "zh-hans"
    attempt.refresh_from_db()
    assert certificate.issued_at == attempt.submitted_at
    assert certificate.issued_on == attempt.submitted_at.date()
    assert certificate.expires_on == add_months(certificate.issued_on, 24)
    assert certificate.status == "valid" and certificate.renews is None
    assert list(certificate.events.values_list("kind", flat=True)) == ["issued"]
    assert no_pdf_task == [certificate.pk]


def test_later_changes_of_name_and_title_leave_the_certificate_as_printed(no_pdf_task):
    attempt = passed_attempt()
    certificate = certificate_issue(attempt=attempt)
    attempt.user.full_name = "Someone Else"
    attempt.user.save()
    page = attempt.exam.certification
    page.title = "Renamed"
    page.save()
    certificate.refresh_from_db()
    assert certificate.holder_name != "Someone Else"
    assert certificate.certification_title == "Certified Cloud Network Engineer"


def test_full_name_is_printed_when_no_certificate_name_is_set(no_pdf_task):
    attempt = passed_attempt(user=UserFactory(full_name="Ada Lovelace", certificate_name=""))
    assert certificate_issue(attempt=attempt).holder_name == "Ada Lovelace"


def test_issuing_twice_returns_the_same_certificate(no_pdf_task):
    attempt = passed_attempt()
    first = certificate_issue(attempt=attempt)
    second = certificate_issue(attempt=attempt)
    assert first.pk == second.pk and first.serial == second.serial
    assert Certificate.objects.filter(attempt=attempt).count() == 1
    assert CertificateEvent.objects.filter(certificate=first, kind="issued").count() == 1


def test_a_pass_before_the_required_courses_are_complete_is_refused_then_issued_once_they_are(no_pdf_task):
    course = course_factories.course(lessons=1)
    page = certification_with_products("SD-WAN", courses=[course])
    attempt = passed_attempt(certification_page=page)
    with pytest.raises(RequiredCoursesIncomplete):
        certificate_issue(attempt=attempt)
    assert not Certificate.objects.exists()
    course_complete(user=attempt.user, course=course)
    certificate = certificate_issue(attempt=attempt)
    assert certificate.attempt == attempt and certificate.holder == attempt.user


def test_an_insert_that_loses_the_race_returns_the_winners_certificate(monkeypatch, no_pdf_task):
    """The other process committed between this one's check and its insert."""
    attempt = passed_attempt()
    winner = certificate_issue(attempt=attempt)
    real_filter = Certificate.objects.filter
    calls = {"n": 0}

    def filter_missing_first_two(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= 2 and kwargs == {"attempt_id": attempt.pk}:
            return Certificate.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Certificate.objects, "filter", filter_missing_first_two)
    assert certificate_issue(attempt=attempt).pk == winner.pk
    assert Certificate.objects.count() == 1


def test_a_serial_collision_is_retried_with_a_fresh_serial(monkeypatch, no_pdf_task):
    taken = certificate_issue(attempt=passed_attempt()).serial
    serials = iter([taken, taken, "PA-0000-0000-0000"])
    monkeypatch.setattr(issuing, "serial_generate", lambda: next(serials))
    assert certificate_issue(attempt=passed_attempt()).serial == "PA-0000-0000-0000"


def test_an_integrity_error_other_than_a_taken_serial_is_raised_not_retried(monkeypatch, no_pdf_task):
    """A validity of 0 months breaks the expiry-after-issue constraint: no serial retry hides it."""
    drawn = []
    monkeypatch.setattr(issuing, "serial_generate", lambda: drawn.append(1) or f"PA-0000-0000-000{len(drawn)}")
    attempt = passed_attempt(certification_page=certification_with_products("SD-WAN", validity_months=0))
    with pytest.raises(IntegrityError):
        certificate_issue(attempt=attempt)
    assert len(drawn) == 1


def test_a_failed_or_ungraded_attempt_earns_nothing(no_pdf_task):
    exam = f.exam(questions=3)
    attempt = services.attempt_start(exam=exam, user=UserFactory())
    with pytest.raises(NotPassed):
        certificate_issue(attempt=attempt)
    f.answer_all(attempt, correct=False)
    services.attempt_submit(attempt=attempt)
    with pytest.raises(NotPassed):
        certificate_issue(attempt=attempt)
    assert not Certificate.objects.exists()


def test_signal_and_pdf_task_wait_for_the_commit(django_capture_on_commit_callbacks, signals, no_pdf_task):
    attempt = passed_attempt()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        certificate = certificate_issue(attempt=attempt)
    assert signals == [] and no_pdf_task == []
    for callback in callbacks:
        callback()
    assert signals == [(certificate.serial, "issued")]
    assert no_pdf_task == [certificate.pk]


def test_renewal_within_the_window_links_the_old_certificate_and_continues_its_validity(
    django_capture_on_commit_callbacks, signals, no_pdf_task
):
    page = certification_with_products("SD-WAN", validity_months=24, renewal_window_days=90)
    user = UserFactory()
    old = f.certificate(
        holder=user, certification_page=page, issued_on=date(2024, 12, 20), expires_on=date(2026, 12, 20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_issue(attempt=passed_attempt(certification_page=page, user=user), now=NOW)
    assert new.renews == old
    assert new.issued_on == date(2026, 11, 22)
    assert new.expires_on == date(2028, 12, 20)
    assert list(old.events.values_list("kind", "data")) == [("renewed", {"renewed_by": new.serial})]
    assert new.events.get().data["renews"] == old.serial
    assert signals == [(new.serial, "renewed")]
    old.refresh_from_db()
    assert old.status == "valid"


@pytest.mark.parametrize(
    ("status", "expires_on"),
    [
        ("valid", date(2027, 3, 1)),  # 99 days ahead: before the 90-day window opens
        ("expired", date(2026, 11, 1)),
        ("revoked", date(2026, 12, 20)),
    ],
)
def test_no_renewal_outside_the_window_or_of_a_certificate_no_longer_valid(status, expires_on, no_pdf_task):
    page = certification_with_products("SD-WAN", validity_months=12, renewal_window_days=90)
    user = UserFactory()
    f.certificate(
        holder=user, certification_page=page, status=status, issued_on=date(2025, 11, 1), expires_on=expires_on
    )
    new = certificate_issue(attempt=passed_attempt(certification_page=page, user=user), now=NOW)
    assert new.renews is None
    assert new.expires_on == date(2027, 11, 22)


def test_a_certificate_of_another_certification_is_not_renewed(no_pdf_task):
    user = UserFactory()
    f.certificate(holder=user, expires_on=NOW.date() + timedelta(days=10))
    new = certificate_issue(attempt=passed_attempt(user=user), now=NOW)
    assert new.renews is None


def test_a_certificate_is_renewed_once(no_pdf_task):
    page = certification_with_products("SD-WAN", validity_months=12, renewal_window_days=90)
    user = UserFactory()
    old = f.certificate(holder=user, certification_page=page, expires_on=date(2026, 12, 20))
    first = certificate_issue(attempt=passed_attempt(certification_page=page, user=user), now=NOW)
    second = certificate_issue(attempt=passed_attempt(certification_page=page, user=user), now=NOW)
    assert first.renews == old
    # The renewal is itself valid and within its window only much later: the second pass stands alone.
    assert second.renews is None


def test_issue_date_is_the_holders_calendar_date():
    late_evening_utc = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    attempt = passed_attempt(user=UserFactory(time_zone="Asia/Shanghai"))
    certificate = certificate_issue(attempt=attempt, now=late_evening_utc)
    assert certificate.issued_on == date(2026, 11, 23)
    assert certificate.issued_at == late_evening_utc


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 11, 22), 24, date(2028, 11, 22)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("products", [1, 8])
def test_issuing_runs_a_fixed_number_of_queries_whatever_the_products(products, count_queries, no_pdf_task):
    course = course_factories.course(lessons=1)
    page = certification_with_products(*[f"Product {n}" for n in range(products)], courses=[course])
    user = UserFactory()
    course_complete(user=user, course=course)
    f.certificate(holder=user, certification_page=page, expires_on=NOW.date() + timedelta(days=30))
    attempt = passed_attempt(certification_page=page, user=user)
    with count_queries() as queries:
        certificate_issue(attempt=attempt, now=NOW)
    queries.assert_at_most(12)
    with count_queries() as again:
        certificate_issue(attempt=attempt, now=NOW)
    again.assert_at_most(1)
