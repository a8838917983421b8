"""Importing certificates from a vendor's previous system: bad files are refused whole and keep
nothing, the dry run lists every row's errors and changes nothing, and the real run issues each
certificate as an exam would (serial, PDF, credential, rights) with its original dates, once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from certifications.certificates import legacy_import
from certifications.certificates.legacy_import import (
    ImportFileError,
    ImportNotStartable,
    certificate_import_check,
    certificate_import_run,
    certificate_import_start,
)
from certifications.models import Certificate, CertificateEvent, CertificateImport, OrganisationDeliveryRight
from certifications.verification.publishing import certificate_credential
from community.models import User
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as f
from tests.factories.community import MembershipFactory, ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

HEADER = "email,name,certification,issued_on,expires_on,legacy_id\n"
TODAY = timezone.now().date()
ISSUED = (TODAY - timedelta(days=400)).isoformat()
EXPIRES = (TODAY + timedelta(days=330)).isoformat()


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind")


@pytest.fixture
def certification(vendor):
    page = f.certification(vendor=vendor, title="Northwind Network Engineer", slug="nw-network")
    page.products.set([ProductFactory(vendor=vendor, name="Northwind Switch")])
    page.save()
    return page


@pytest.fixture
def rival_certification():
    return f.certification(vendor=VendorFactory(name="Rival"), title="Rival Expert", slug="rival-expert")


def upload(text: str | bytes, name: str = "certificates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def check(vendor, text, name="certificates.csv", invite_new=False):
    return certificate_import_check(vendor=vendor, upload=upload(text, name), invite_new=invite_new, uploaded_by=None)


def row(
    email="ana@example.com", name="Ana Lima", certification="nw-network", issued=ISSUED, expires=EXPIRES, old="A-1"
):
    return f"{email},{name},{certification},{issued},{expires},{old}\n"


def run(certificate_import, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_import_start(certificate_import=certificate_import)
    return CertificateImport.objects.get(pk=certificate_import.pk)


# --- Bad files: a clear error, nothing kept ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\x00\x01\x02 binary", "certificates.csv", "not a CSV file"),
        ("Name\tCol\n".encode("utf-16"), "certificates.csv", "not a CSV file"),
        ("email,name\nana@example.com,Jos\xe9\n".encode("latin-1"), "certificates.csv", "not UTF-8"),
        (b"", "certificates.csv", "empty"),
        (b"   \n\n", "certificates.csv", "empty"),
        (b"email,name,certification\nana@example.com,Ana,nw\n", "certificates.csv", "Columns missing"),
        (HEADER.encode(), "certificates.csv", "no certificates"),
        (b'email,name,certification,issued_on,expires_on,legacy_id\n"ana,Ana', "certificates.csv", "not a readable"),
        (b"PK\x03\x04 zip", "certificates.xlsx", "Upload a CSV file"),
    ],
)
def test_unreadable_file_is_refused_and_nothing_is_kept(vendor, certification, content, name, message):
    with pytest.raises(ImportFileError) as refused:
        check(vendor, content, name)
    assert message in " ".join(refused.value.messages)
    assert not CertificateImport.objects.exists()
    assert not Certificate.objects.exists()


def test_too_big_file_is_refused(vendor, certification, monkeypatch):
    monkeypatch.setattr(legacy_import, "MAX_BYTES", 200)
    with pytest.raises(ImportFileError, match="larger than"):
        check(vendor, HEADER + row() * 10)
    assert not CertificateImport.objects.exists()


def test_too_many_rows_are_refused(vendor, certification, monkeypatch):
    monkeypatch.setattr(legacy_import, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        check(vendor, HEADER + "".join(row(old=f"A-{n}") for n in range(3)))
    assert not CertificateImport.objects.exists()


# --- Dry run ----------------------------------------------------------------------------------


def test_dry_run_lists_every_row_error_and_changes_nothing(vendor, certification, rival_certification):
    users_before = User.objects.count()
    text = HEADER + "".join(
        [
            row(old="A-1"),
            row(email="not-an-address", old="A-2"),
            row(certification="No Such Thing", old="A-3"),
            row(certification="Rival Expert", old="A-4"),
            row(issued="2024-13-01", old="A-5"),
            row(issued="01/02/2024", old="A-6"),
            row(expires=(TODAY - timedelta(days=500)).isoformat(), old="A-7"),
            row(name="x" * 151, old="A-8"),
            row(old="A-1"),
            row(old=""),
            row(issued=(TODAY + timedelta(days=3)).isoformat(), old="A-9"),
            row(name="", old="A-10"),
        ]
    )
    checked = check(vendor, text)
    assert checked.status == CertificateImport.Status.INVALID
    errors = dict(checked.errors)
    assert 2 not in errors
    assert "not-an-address" in errors[3]
    assert "Northwind has no certification" in errors[4]
    assert "another vendor's certification" in errors[5]
    assert "YYYY-MM-DD: 2024-13-01" in errors[6]
    assert "YYYY-MM-DD: 01/02/2024" in errors[7]
    assert "expires before it was issued" in errors[8]
    assert "longer than 150" in errors[9]
    assert "also on line 2" in errors[10]
    assert "missing" in errors[11]
    assert "in the future" in errors[12]
    assert "name as printed is missing" in errors[13]
    assert checked.error_count == 11 and checked.total == 12
    assert not Certificate.objects.exists() and User.objects.count() == users_before
    with pytest.raises(ImportNotStartable):
        certificate_import_start(certificate_import=checked)


def test_dry_run_accepts_title_aliases_semicolons_and_counts_rows_imported_before(vendor, certification):
    f.certificate(holder=UserFactory(), certification_page=certification, legacy_id="A-1", imported_at=timezone.now())
    text = (
        "E-mail;Name as printed;Certification;Issued on;Expires on;Old id\n"
        + row(certification="northwind network engineer").replace(",", ";")
        + row(old="A-2").replace(",", ";")
    )
    checked = check(vendor, "\ufeff" + text)
    assert checked.status == CertificateImport.Status.READY, checked.errors
    assert (checked.total, checked.already_imported, checked.error_count) == (2, 1, 0)
    assert checked.file.read().decode("utf-8-sig") == text


# --- Real run ---------------------------------------------------------------------------------


def test_import_issues_like_an_exam_with_original_dates_and_marks_it_imported(
    vendor, certification, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="ana@example.com", full_name="Ana")
    text = HEADER + row(old="A-1") + row(email="Ben@Example.com", name="Ben Wu", old="B-7")
    finished = run(check(vendor, text, invite_new=True), django_capture_on_commit_callbacks)
    assert finished.status == CertificateImport.Status.FINISHED
    assert (finished.done, finished.created, finished.accounts_created, finished.error_count) == (2, 2, 1, 0)
    ana = Certificate.objects.get(legacy_id="A-1")
    assert ana.holder == existing and ana.holder_name == "Ana Lima"
    assert (ana.issued_on.isoformat(), ana.expires_on.isoformat()) == (ISSUED, EXPIRES)
    assert ana.imported_at is not None and ana.legacy_import == finished and ana.attempt is None
    assert ana.status == Certificate.Status.VALID and ana.pdf and ana.pdf_sha256
    assert list(ana.products.values_list("name", flat=True)) == ["Northwind Switch"] == ana.product_names
    assert ana.events.filter(kind=CertificateEvent.Kind.ISSUED, data__legacy_id="A-1").exists()
    ben = User.objects.get(email="ben@example.com")
    assert ben.full_name == "Ben Wu" and not ben.has_usable_password() and ben.handle
    # Only the new account is e-mailed (its invitation); no PDF e-mails for imported certificates.
    assert [message.to for message in mail.outbox] == [["ben@example.com"]]
    invitation = mail.outbox[0]
    assert "Northwind" in invitation.subject
    password_link = next(word for word in invitation.body.split() if "/password/reset/key/" in word)
    assert Client().get(password_link.removeprefix("http://testserver"), follow=True).status_code == 200


def test_invitations_are_optional(vendor, certification, django_capture_on_commit_callbacks):
    run(check(vendor, HEADER + row(), invite_new=False), django_capture_on_commit_callbacks)
    assert Certificate.objects.count() == 1 and mail.outbox == []


def test_rerunning_the_file_creates_nothing_twice(vendor, certification, django_capture_on_commit_callbacks):
    text = HEADER + row(old="A-1") + row(email="ben@example.com", old="B-1")
    run(check(vendor, text), django_capture_on_commit_callbacks)
    again = check(vendor, text + row(email="cy@example.com", old="C-1"))
    assert again.already_imported == 2
    finished = run(again, django_capture_on_commit_callbacks)
    assert finished.created == 1 and finished.done == 3
    assert sorted(Certificate.objects.values_list("legacy_id", flat=True)) == ["A-1", "B-1", "C-1"]
    assert User.objects.filter(email__in=["ana@example.com", "ben@example.com", "cy@example.com"]).count() == 3


def test_the_same_old_id_of_another_vendor_is_another_certificate(vendor, certification, rival_certification):
    rival = rival_certification.vendor
    certificate_import_run(import_id=_started(check(vendor, HEADER + row())).pk)
    certificate_import_run(import_id=_started(check(rival, HEADER + row(certification="rival-expert"))).pk)
    assert Certificate.objects.filter(legacy_id="A-1").count() == 2


def _started(certificate_import):
    CertificateImport.objects.filter(pk=certificate_import.pk).update(status=CertificateImport.Status.RUNNING)
    return certificate_import


def test_a_crashed_run_resumes_without_duplicates(vendor, certification, monkeypatch):
    text = HEADER + "".join(row(email=f"p{n}@example.com", old=f"P-{n}") for n in range(5))
    checked = check(vendor, text)
    certificate_import_start(certificate_import=checked)
    real_issue = legacy_import.certificate_issue_imported
    calls = []

    def crash_on_the_fourth(**kwargs):
        calls.append(kwargs["legacy_id"])
        if len(calls) == 4:
            raise RuntimeError("worker died")
        return real_issue(**kwargs)

    monkeypatch.setattr(legacy_import, "certificate_issue_imported", crash_on_the_fourth)
    with pytest.raises(RuntimeError):
        certificate_import_run(import_id=checked.pk, chunk_size=2)
    assert Certificate.objects.count() == 2  # the first chunk committed, the second rolled back
    monkeypatch.setattr(legacy_import, "certificate_issue_imported", real_issue)
    stuck = CertificateImport.objects.get(pk=checked.pk)
    assert not legacy_import.certificate_import_startable(stuck, now=timezone.now())
    later = timezone.now() + legacy_import.RUN_STALE_AFTER + timedelta(seconds=1)
    assert legacy_import.certificate_import_startable(stuck, now=later)
    certificate_import_start(certificate_import=stuck, now=later)
    finished = certificate_import_run(import_id=checked.pk, chunk_size=2)
    assert finished.status == CertificateImport.Status.FINISHED and finished.done == 5
    assert sorted(Certificate.objects.values_list("legacy_id", flat=True)) == [f"P-{n}" for n in range(5)]
    assert finished.created == 5


def test_started_import_cannot_be_started_again(vendor, certification):
    checked = check(vendor, HEADER + row())
    certificate_import_start(certificate_import=checked)
    with pytest.raises(ImportNotStartable, match="running"):
        certificate_import_start(certificate_import=checked)


def test_a_certificate_past_its_expiry_is_imported_as_expired(
    vendor, certification, django_capture_on_commit_callbacks
):
    expired = (TODAY - timedelta(days=10)).isoformat()
    run(check(vendor, HEADER + row(expires=expired)), django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.EXPIRED and certificate.expired_at is not None
    assert certificate.events.filter(kind=CertificateEvent.Kind.EXPIRED).exists()


def test_a_certification_gone_before_the_run_is_a_row_error(vendor, certification, rival_certification):
    checked = check(vendor, HEADER + row(old="A-1") + row(email="ben@example.com", old="B-1"))
    certificate_import_start(certificate_import=checked)
    checked.file.save(
        "again.csv", upload(HEADER + row(old="A-1") + row(certification="rival-expert", old="B-1")), save=False
    )
    CertificateImport.objects.filter(pk=checked.pk).update(file=checked.file.name)
    finished = certificate_import_run(import_id=checked.pk)
    assert finished.created == 1 and finished.error_count == 1 and finished.done == 2
    assert "another vendor's" in finished.errors[0][1]


def test_rights_are_recomputed_once_per_organisation_as_one_by_one_issues_would(
    vendor, certification, django_capture_on_commit_callbacks
):
    product = certification.products.get()
    make_rule(product=product, certifications=[certification], min_engineers=2)
    organisation = MembershipFactory(role="engineer", user__email="ana@example.com").organisation
    MembershipFactory(organisation=organisation, role="engineer", user__email="ben@example.com")
    text = HEADER + row(old="A-1") + row(email="ben@example.com", old="B-1")
    run(check(vendor, text), django_capture_on_commit_callbacks)
    right = OrganisationDeliveryRight.objects.get(organisation=organisation, product=product)
    assert right.status == "active" and right.certified_engineers == 2


# --- Verification and credential ------------------------------------------------------------


def test_verification_api_and_credential_say_imported_with_the_original_dates(
    vendor, certification, django_capture_on_commit_callbacks
):
    run(check(vendor, HEADER + row()), django_capture_on_commit_callbacks)
    certificate = Certificate.objects.select_related("certification", "vendor").get()
    page = Client().get(f"/verify/{certificate.serial}/", follow=True).content.decode()
    assert "data-imported" in page and "previous certification system" in page
    assert Client().get(f"/verify/{certificate.serial}/", follow=True).status_code == 200
    api = Client().get(f"/api/v1/certificates/{certificate.serial}").json()
    assert api["imported"] is True and api["issued_on"] == ISSUED and api["expires_on"] == EXPIRES
    assert api["imported_on"] == TODAY.isoformat()
    credential = certificate_credential(certificate=certificate)
    assert credential["validFrom"].startswith(ISSUED)
    assert credential["evidence"][0]["name"] == "Imported"
    assert ISSUED in credential["evidence"][0]["narrative"]


def test_an_exam_certificate_is_not_marked_imported(vendor, certification):
    certificate = f.certificate(holder=UserFactory(), certification_page=certification)
    certificate = Certificate.objects.select_related("certification", "vendor").get(pk=certificate.pk)
    assert "evidence" not in certificate_credential(certificate=certificate)
    page = Client().get(f"/verify/{certificate.serial}/", follow=True).content.decode()
    assert "data-imported" not in page


def test_issue_dates_are_kept_exactly(vendor, certification, django_capture_on_commit_callbacks):
    run(check(vendor, HEADER + row(issued="2020-02-29", expires="2030-02-28")), django_capture_on_commit_callbacks)
    assert Certificate.objects.values_list("issued_on", "expires_on").get() == (date(2020, 2, 29), date(2030, 2, 28))
