"""The daily certificate sweeps: expiry (in batches, announced once per holder) and the 60, 30 and
7-day reminders (once each, in the holder's language, never lost when a day is missed), and the
refusal to start an exam while a valid certificate's renewal has not opened yet."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from certifications.certificates import lifecycle
from certifications.certificates.signals import certificate_changed
from certifications.exams import services
from certifications.models import Certificate, CertificateEvent, CertificateReminder
from tests.factories import certifications as cert_factories
from tests.factories.community import UserFactory

TODAY = date(2026, 11, 22)


@pytest.fixture
def changes():
    """Every `certificate_changed` sent, as (serial, change)."""
    seen = []

    def receiver(sender, certificate, change, **kwargs):
        seen.append((certificate.serial, change))

    certificate_changed.connect(receiver, dispatch_uid="test-lifecycle")
    yield seen
    certificate_changed.disconnect(dispatch_uid="test-lifecycle")


def _certificate(holder=None, *, expires_on, issued_on=None, **fields):
    return cert_factories.certificate(
        holder=holder or UserFactory(),
        issued_on=issued_on or expires_on - timedelta(days=730),
        expires_on=expires_on,
        **fields,
    )


# --- Expiry ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_expire_marks_due_certificates_writes_events_and_announces_after_commit(changes, home_page):
    due = _certificate(expires_on=TODAY)
    overdue = _certificate(expires_on=TODAY - timedelta(days=3))
    current = _certificate(expires_on=TODAY + timedelta(days=1))
    revoked = _certificate(expires_on=TODAY - timedelta(days=1), status=Certificate.Status.REVOKED)

    assert lifecycle.certificates_expire(today=TODAY) == 2

    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "expired", overdue.pk: "expired", current.pk: "valid", revoked.pk: "revoked"}
    assert Certificate.objects.get(pk=due.pk).expired_at is not None
    events = CertificateEvent.objects.filter(kind=CertificateEvent.Kind.EXPIRED)
    assert sorted(events.values_list("certificate_id", flat=True)) == sorted([due.pk, overdue.pk])
    assert events.get(certificate=due).data == {"expires_on": TODAY.isoformat()}
    assert sorted(changes) == sorted([(due.serial, "expired"), (overdue.serial, "expired")])


@pytest.mark.django_db
def test_expire_sends_nothing_before_the_transaction_commits(django_capture_on_commit_callbacks, changes):
    _certificate(expires_on=TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lifecycle.certificates_expire(today=TODAY)
    assert changes == []
    for callback in callbacks:
        callback()
    assert len(changes) == 1


@pytest.mark.django_db
def test_expire_is_idempotent(django_capture_on_commit_callbacks, changes):
    _certificate(expires_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.certificates_expire(today=TODAY) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.certificates_expire(today=TODAY) == 0
    assert CertificateEvent.objects.filter(kind=CertificateEvent.Kind.EXPIRED).count() == 1
    assert len(changes) == 1


@pytest.mark.django_db
def test_expire_works_in_batches_and_announces_each_holder_once(
    monkeypatch, django_capture_on_commit_callbacks, changes
):
    monkeypatch.setattr(lifecycle, "EXPIRE_BATCH", 2)
    busy, other = UserFactory(), UserFactory()
    page = cert_factories.certification()
    for days in (1, 2, 3):
        _certificate(busy, expires_on=TODAY - timedelta(days=days), certification_page=page)
    _certificate(other, expires_on=TODAY - timedelta(days=1), certification_page=page)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert lifecycle.certificates_expire(today=TODAY) == 4

    assert Certificate.objects.filter(status=Certificate.Status.EXPIRED).count() == 4
    assert CertificateEvent.objects.filter(kind=CertificateEvent.Kind.EXPIRED).count() == 4
    announcements = [c for c in callbacks if getattr(c, "func", None) is lifecycle._expiry_announce]
    assert len(announcements) == 2  # one per batch of two
    holders = sorted(Certificate.objects.get(serial=serial).holder_id for serial, _change in changes)
    assert holders == sorted([busy.pk, other.pk])


@pytest.mark.django_db
def test_expire_runs_a_fixed_number_of_queries_per_batch(count_queries, monkeypatch):
    monkeypatch.setattr(lifecycle, "EXPIRE_BATCH", 1000)
    page = cert_factories.certification()
    holder = UserFactory()
    for days in range(1, 41):
        _certificate(holder, expires_on=TODAY - timedelta(days=days), certification_page=page)
    with count_queries() as queries:
        assert lifecycle.certificates_expire(today=TODAY) == 40
    # select the batch, update it, insert its events, then the empty select that ends the loop
    # (plus savepoints), whatever the batch size.
    queries.assert_at_most(8)


@pytest.mark.django_db
def test_daily_task_runs_both_sweeps_and_is_scheduled(django_capture_on_commit_callbacks):
    from django.utils import timezone

    from certifications.certificates.tasks import certificates_daily

    today = timezone.localdate()
    _certificate(expires_on=today)
    _certificate(expires_on=today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_daily.delay().get() == {"expired": 1, "reminded": 1}
        assert certificates_daily.delay().get() == {"expired": 0, "reminded": 0}
    assert settings.CELERY_BEAT_SCHEDULE["certificates-daily"]["task"] == "certifications.tasks.certificates_daily"


# --- Reminders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "window"),
    [(61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, None), (-3, None)],
)
def test_reminder_window_is_the_nearest_one_the_certificate_is_in(days_left, window):
    assert lifecycle.reminder_window(expires_on=TODAY + timedelta(days=days_left), today=TODAY) == window


@pytest.mark.django_db
@pytest.mark.parametrize("days_before", [60, 30, 7])
def test_each_reminder_is_sent_on_its_day_once(days_before):
    certificate = _certificate(expires_on=TODAY + timedelta(days=days_before))
    assert lifecycle.certificate_reminders_send(today=TODAY) == 1
    assert lifecycle.certificate_reminders_send(today=TODAY) == 0
    assert lifecycle.certificate_reminders_send(today=TODAY + timedelta(days=1)) == 0
    assert list(CertificateReminder.objects.values_list("certificate_id", "days_before")) == [
        (certificate.pk, days_before)
    ]
    assert len(mail.outbox) == 1
    event = CertificateEvent.objects.get(certificate=certificate, kind=CertificateEvent.Kind.REMINDER_SENT)
    assert event.data == {"days_before": days_before}


@pytest.mark.django_db
def test_a_certificate_gets_the_three_reminders_over_its_last_sixty_days():
    certificate = _certificate(expires_on=TODAY + timedelta(days=60))
    sent = sum(lifecycle.certificate_reminders_send(today=TODAY + timedelta(days=day)) for day in range(0, 61))
    assert sent == 3
    windows = CertificateReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)
    assert sorted(windows) == [7, 30, 60]


@pytest.mark.django_db
def test_a_missed_day_still_sends_the_reminder_late():
    certificate = _certificate(expires_on=TODAY + timedelta(days=27))  # the day-30 sweep did not run
    assert lifecycle.certificate_reminders_send(today=TODAY) == 1
    assert list(CertificateReminder.objects.values_list("certificate_id", "days_before")) == [(certificate.pk, 30)]


@pytest.mark.django_db
def test_no_sixty_day_reminder_once_the_thirty_day_window_applies():
    certificate = _certificate(expires_on=TODAY + timedelta(days=29))
    lifecycle.certificate_reminders_send(today=TODAY)
    lifecycle.certificate_reminders_send(today=TODAY + timedelta(days=1))
    assert list(CertificateReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)) == [
        30
    ]


@pytest.mark.django_db
def test_no_reminders_for_revoked_expired_renewed_or_closed_accounts():
    _certificate(expires_on=TODAY + timedelta(days=30), status=Certificate.Status.REVOKED)
    _certificate(expires_on=TODAY + timedelta(days=30), status=Certificate.Status.EXPIRED)
    old = _certificate(expires_on=TODAY + timedelta(days=30))
    _certificate(old.holder, expires_on=TODAY + timedelta(days=760), certification_page=old.certification, renews=old)
    _certificate(UserFactory(is_active=False), expires_on=TODAY + timedelta(days=30))
    assert lifecycle.certificate_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_is_in_the_holders_language_and_links_renewal():
    holder = UserFactory(preferred_language="zh-hans", full_name="王小明")
    certificate = _certificate(holder, expires_on=TODAY + timedelta(days=30))
    lifecycle.certificate_reminders_send(today=TODAY)
    message = mail.outbox[0]
    assert message.to == [holder.email]
    with translation.override("zh-hans"):
        expected = translation.gettext("Serial")
    assert expected in message.body
    assert certificate.serial in message.body
    assert lifecycle.certification_url(certificate.certification) in message.body
    assert "王小明" in message.body
    html = message.alternatives[0][0]
    assert lifecycle.certification_url(certificate.certification) in html


@pytest.mark.django_db
def test_reminder_in_english_says_when_it_expires_and_how_to_renew():
    holder = UserFactory(preferred_language="en", full_name="Ann O'Neil")
    certificate = _certificate(holder, expires_on=TODAY + timedelta(days=7))
    lifecycle.certificate_reminders_send(today=TODAY)
    message = mail.outbox[0]
    assert message.subject == f"Your {certificate.certification_title} certificate expires in 7 days"
    assert "Renew it now" in message.body
    assert "Ann O'Neil" in message.body  # plain text is not HTML-escaped
    assert settings.SITE_URL + "/certificates/" in message.body


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_next_sweep(monkeypatch):
    _certificate(expires_on=TODAY + timedelta(days=30))
    real = lifecycle._reminder_email_send

    def broken(**kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(lifecycle, "_reminder_email_send", broken)
    assert lifecycle.certificate_reminders_send(today=TODAY) == 0
    assert not CertificateReminder.objects.exists()
    monkeypatch.setattr(lifecycle, "_reminder_email_send", real)
    assert lifecycle.certificate_reminders_send(today=TODAY + timedelta(days=1)) == 1


# --- Exam start while a certificate is still far from renewal --------------------------------


@pytest.fixture
def held_exam(db):
    exam = cert_factories.exam(questions=3)
    exam.certification.renewal_window_days = 90
    exam.certification.save(update_fields=["renewal_window_days"])
    return exam


def test_exam_start_refused_while_renewal_has_not_opened(held_exam):
    from django.utils import timezone

    holder = UserFactory()
    today = timezone.localdate()
    _certificate(holder, expires_on=today + timedelta(days=200), certification_page=held_exam.certification)
    with pytest.raises(services.ExamUnavailable) as refused:
        services.attempt_start(exam=held_exam, user=holder)
    opens = today + timedelta(days=110)
    assert "Renewal opens on" in refused.value.messages[0]
    from django.utils.formats import date_format

    assert date_format(opens, "DATE_FORMAT") in refused.value.messages[0]


def test_exam_start_allowed_within_the_renewal_window_or_after_expiry(held_exam):
    from django.utils import timezone

    today = timezone.localdate()
    renewing = UserFactory()
    _certificate(renewing, expires_on=today + timedelta(days=90), certification_page=held_exam.certification)
    assert services.attempt_start(exam=held_exam, user=renewing).in_progress
    lapsed = UserFactory()
    _certificate(
        lapsed,
        expires_on=today + timedelta(days=300),
        certification_page=held_exam.certification,
        status=Certificate.Status.REVOKED,
    )
    _certificate(lapsed, expires_on=today, certification_page=held_exam.certification)
    assert services.attempt_start(exam=held_exam, user=lapsed).in_progress


def test_exam_start_view_says_when_renewal_opens(client, held_exam):
    from django.urls import reverse
    from django.utils import timezone

    holder = UserFactory()
    _certificate(
        holder, expires_on=timezone.localdate() + timedelta(days=400), certification_page=held_exam.certification
    )
    client.force_login(holder)
    response = client.post(reverse("certifications:exam_start", args=[held_exam.pk]), follow=True)
    assert response.status_code == 200
    assert "You already hold this certification. Renewal opens on" in response.content.decode()
    assert not held_exam.attempts.exists()
