import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from certifications.models import (
    Certificate,
    CertificationPage,
    DeliveryRightCredential,
    DeliveryRightEvent,
    ExamAttempt,
    OrganisationDeliveryRight,
    Question,
    QuestionPool,
)
from certifications.rights import history
from courses.models import LearningPathPage

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "pages": CertificationPage.objects.live().count(),
        "questions": Question.objects.count(),
        "attempts": ExamAttempt.objects.count(),
        "certificates": Certificate.objects.count(),
        "rights": OrganisationDeliveryRight.objects.count(),
        "right events": DeliveryRightEvent.objects.count(),
        "right credentials": DeliveryRightCredential.objects.count(),
    }


def test_seed_demo_makes_exams_attempts_certificates_and_rights_in_every_state_and_is_idempotent(
    home_page, django_capture_on_commit_callbacks
):
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=output)
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert first == _counts()
    assert first["pages"] >= 2
    assert all(pool.questions.count() >= 20 for pool in QuestionPool.objects.all())
    attempts = ExamAttempt.objects.all()
    assert attempts.filter(status="in_progress").exists()
    assert attempts.filter(passed=True).exists()
    assert attempts.filter(passed=False, auto_submitted=False).exists()
    assert attempts.filter(auto_submitted=True).exists()
    # Every pass earned its certificate through the same services, PDF rendered and stored.
    assert Certificate.objects.count() == attempts.filter(passed=True).count()
    assert not Certificate.objects.exclude(attempt__passed=True).exists()
    assert not Certificate.objects.filter(pdf="").exists()
    for status in ("valid", "expired", "revoked"):
        serial = Certificate.objects.filter(status=status).order_by("issued_at").values_list("serial", flat=True)[0]
        assert f"{serial} ({status})" in output.getvalue()
    # The history: certificates expiring soon, and rights in every status.
    today = timezone.localdate()
    expiring = Certificate.objects.filter(status="valid", expires_on__lte=today + timedelta(days=30))
    assert expiring.count() >= 2
    assert Certificate.objects.get(status="revoked").revocation_reason == "exam_misconduct"
    statuses = set(OrganisationDeliveryRight.objects.values_list("status", flat=True))
    assert statuses == {"active", "grace", "lapsed"}
    lapsed = OrganisationDeliveryRight.objects.get(status="lapsed", organisation__slug="andes-digital")
    # The lapsed right went through its whole life, each step naming the certificates that counted.
    assert list(lapsed.events.order_by("at").values_list("to_status", flat=True)) == ["active", "grace", "lapsed"]
    assert lapsed.events.get(to_status="active").certificates.exists()
    assert all(right.grace_ends_at.date() > today for right in OrganisationDeliveryRight.objects.filter(status="grace"))
    # A superseded certification: its new version is published, counts in its rules, and the
    # old one still counts for a while.
    new = CertificationPage.objects.get(supersedes__isnull=False)
    assert new.live and new.supersedes_counts_until > today and new.exam
    assert {rule.pk for rule in new.supersedes.delivery_rules.all()} <= {rule.pk for rule in new.delivery_rules.all()}
    # Every right held is a credential; grace suspends it, the lapse revoked it.
    current = DeliveryRightCredential.objects.current()
    assert sorted(current.values_list("right__status", flat=True)) == sorted(
        OrganisationDeliveryRight.objects.holding().values_list("status", flat=True)
    )
    assert all((c.suspended_at is not None) == (c.right.status == "grace") for c in current.select_related("right"))
    assert lapsed.credentials.get().revoked_at == lapsed.lapsed_at
    example = current.order_by("organisation_name", "product_name").first()
    assert f"/api/v1/delivery-rights/credentials/{example.public_id}" in output.getvalue()
    # Every learning path leads to a certification the demo has, and links to its page.
    certifications = {page.title: page.url for page in CertificationPage.objects.live()}
    paths = list(LearningPathPage.objects.live())
    assert paths
    assert {path.title: certifications.get(path.goal_label) for path in paths} == {
        path.title: path.goal_url for path in paths
    }
    assert all(path.goal_url for path in paths)


def test_a_right_that_lapsed_last_month_was_held_on_an_earlier_day(home_page):
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    right = OrganisationDeliveryRight.objects.get(organisation__slug="shanghai-cloudbridge", status="lapsed")
    assert today - timedelta(days=40) < right.lapsed_at.date() < today - timedelta(days=7)
    rights = OrganisationDeliveryRight.objects.filter(product=right.product)
    before = history.rights_held_on(day=right.lapsed_at.date() - timedelta(days=30), rights=rights)
    assert right.organisation in {event.right.organisation for event in before}
    assert right.organisation not in {
        event.right.organisation for event in history.rights_held_on(day=today, rights=rights)
    }
    (timeline,) = [
        t
        for t in history.organisation_rights_history(organisation_id=right.organisation_id)
        if t.product == right.product
    ]
    assert [entry.kind for entry in timeline.entries] == ["lapsed", "grace", "authorised"]
