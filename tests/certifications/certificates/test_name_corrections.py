"""Name corrections: the holder asks, the vendor's programme manager decides; approval prints the
new name on verification, the credential (which still verifies, checked with the independent
eddsa-jcs-2022 verifier) and a new PDF, keeps the old PDF as superseded for staff, and every step
is an audit event; the holder is told in their language. Every URL tried as every role."""

import base64

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from certifications.certificates.name_corrections import name_correction_decide, name_correction_request
from certifications.models import CertificateEvent, NameCorrection
from certifications.verification.keys import platform_signing_key
from tests.certifications.verification import spec_verifier
from tests.certifications.verification.test_outside_checks import key_finder
from tests.factories import certifications as f
from tests.factories.community import UserFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()
    platform_signing_key.cache_clear()
    yield
    platform_signing_key.cache_clear()


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor"), VendorFactory(name="Rival Vendor")
    people = people_in_every_role(vendor=own, other_vendor=rival)
    holder = people["engineer"]
    holder.full_name, holder.preferred_language = "Li Mnig", "zh-hans"
    holder.save()
    certificate = f.certificate(holder=holder, certification_page=f.certification(vendor=own, title="Own Engineer"))
    certificate.pdf.save("old.pdf", ContentFile(b"%PDF-old"), save=True)
    certificate.pdf_sha256 = "a" * 64
    certificate.save(update_fields=["pdf_sha256"])
    return {"people": people, "certificate": certificate, "holder": holder}


def ask(world, name="Li Ming"):
    return name_correction_request(
        certificate=world["certificate"], user=world["holder"], new_name=name, reason="Letters swapped"
    )


def test_approval_prints_the_new_name_everywhere_and_keeps_the_old_pdf(
    world, client, django_capture_on_commit_callbacks
):
    correction = ask(world)
    manager = world["people"]["programme_manager"]
    with django_capture_on_commit_callbacks(execute=True):
        name_correction_decide(correction=correction, decided_by=manager, approve=True, note="Fixed")
    certificate = world["certificate"]
    certificate.refresh_from_db()
    correction.refresh_from_db()
    assert certificate.holder_name == "Li Ming"
    assert certificate.pdf and certificate.pdf.name != correction.superseded_pdf.name
    assert correction.superseded_pdf.read() == b"%PDF-old" and correction.superseded_pdf_sha256 == "a" * 64
    assert "Li Ming" in client.get(reverse("certifications:verify_serial", args=[certificate.serial])).content.decode()
    credential = client.get(f"/api/v1/certificates/{certificate.serial}/credential").json()
    assert "Li Ming" in str(credential["credentialSubject"])
    key_document = client.get("/" + credential["proof"][0]["verificationMethod"].split("/", 3)[3].split("#")[0]).json()
    assert spec_verifier.document_verify(credential, key_finder(key_document))
    events = list(certificate.events.filter(kind__startswith="name_").order_by("pk"))
    assert [(e.kind, e.actor, e.data["old_name"], e.data["new_name"]) for e in events] == [
        (CertificateEvent.Kind.NAME_CORRECTION_REQUESTED, world["holder"], "Li Mnig", "Li Ming"),
        (CertificateEvent.Kind.NAME_CORRECTED, manager, "Li Mnig", "Li Ming"),
    ]
    (message,) = [m for m in mail.outbox if m.to == [world["holder"].email] and "Li Mnig" in m.body]
    assert "更正" in message.subject, "in the holder's language"


def test_rejection_changes_nothing_but_is_recorded_and_told(world, django_capture_on_commit_callbacks):
    correction = ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        name_correction_decide(correction=correction, decided_by=world["people"]["programme_manager"], approve=False)
    world["certificate"].refresh_from_db()
    assert world["certificate"].holder_name == "Li Mnig" and world["certificate"].pdf.read() == b"%PDF-old"
    assert world["certificate"].events.filter(kind=CertificateEvent.Kind.NAME_CORRECTION_REJECTED).exists()
    assert any(m.to == [world["holder"].email] for m in mail.outbox)


def test_bad_requests_are_refused(world):
    with pytest.raises(ValidationError):
        ask(world, name="Li Mnig")
    with pytest.raises(ValidationError):
        name_correction_request(certificate=world["certificate"], user=world["holder"], new_name="X", reason=" ")
    with pytest.raises(ValidationError):
        name_correction_request(
            certificate=world["certificate"], user=UserFactory(), new_name="Someone", reason="Mine now"
        )
    correction = ask(world)
    with pytest.raises(ValidationError):
        ask(world, name="Li Ming again")
    with pytest.raises(ValidationError):
        name_correction_decide(
            correction=correction, decided_by=world["people"]["other_programme_manager"], approve=True
        )
    name_correction_decide(correction=correction, decided_by=world["people"]["superuser"], approve=False)
    with pytest.raises(ValidationError):
        name_correction_decide(correction=correction, decided_by=world["people"]["superuser"], approve=True)


def _pending(w):
    if "correction" not in w:
        w["correction"] = ask(w)
    return w["correction"]


CASES = {
    "ask for a correction": Case(
        "post",
        lambda w: reverse("certifications:name_correction", args=[w["certificate"].serial]),
        did(lambda w: NameCorrection.objects.exists()),
        {"engineer"},
        data=lambda w: {"new_name": "Li Ming", "reason": "Typo"},
    ),
    "see the queue": Case(
        "get",
        lambda w: _pending(w) and reverse("name_corrections"),
        lambda w, r: r.status_code == 200 and "Letters swapped" in r.content.decode(),
        PROGRAMME_MANAGERS,
    ),
    "approve": Case(
        "post",
        lambda w: reverse("name_correction_decide", args=[_pending(w).pk]),
        did(lambda w: NameCorrection.objects.filter(status="approved").exists()),
        PROGRAMME_MANAGERS,
        data=lambda w: {"decision": "approve"},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_role_gets_exactly_what_its_job_needs(world, name):
    if name != "ask for a correction":
        # Made before the roles try it: what a role's request makes is rolled back after it.
        _pending(world)
    assert_exactly_the_allowed_roles(world, CASES[name])


def test_only_the_vendors_managers_download_the_superseded_pdf(world):
    correction = ask(world)
    name_correction_decide(correction=correction, decided_by=world["people"]["programme_manager"], approve=True)
    case = Case(
        "get",
        lambda w: reverse("name_correction_superseded_pdf", args=[correction.pk]),
        lambda w, r: r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-old",
        PROGRAMME_MANAGERS,
    )
    assert_exactly_the_allowed_roles(world, case)


def test_the_queue_runs_the_same_queries_for_one_request_and_many(world, count_queries):
    client = Client()
    client.force_login(world["people"]["programme_manager"])
    ask(world)
    client.get(reverse("name_corrections"))
    with count_queries() as one:
        client.get(reverse("name_corrections"))
    for i in range(3):
        other = f.certificate(holder=world["holder"], certification_page=world["certificate"].certification)
        name_correction_request(certificate=other, user=world["holder"], new_name=f"Li {i}", reason="Typo")
    with count_queries() as many:
        client.get(reverse("name_corrections"))
    assert len(many) == len(one), many.sql()
