"""The certificate import pages of the Wagtail admin: only the vendor's programme managers reach
them, a bad file shows its error on the form and keeps nothing, and an import's page shows its
errors or its progress in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certifications.certificates.legacy_import import certificate_import_check
from certifications.models import Certificate, CertificateImport
from tests.factories import certifications as f
from tests.factories.community import VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did, shows

pytestmark = pytest.mark.django_db

HEADER = "email,name,certification,issued_on,expires_on,legacy_id\n"
ISSUED = (timezone.now().date() - timedelta(days=100)).isoformat()
EXPIRES = (timezone.now().date() + timedelta(days=300)).isoformat()


def csv_file(rows: int = 1, name: str = "legacy.csv") -> SimpleUploadedFile:
    body = HEADER + "".join(
        f"holder{n}@example.com,Holder {n},own-engineer,{ISSUED},{EXPIRES},OLD-{n}\n" for n in range(rows)
    )
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor"), VendorFactory(name="Rival Vendor")
    f.certification(vendor=own, title="Own Engineer", slug="own-engineer")
    ready = certificate_import_check(vendor=own, upload=csv_file(), invite_new=False, uploaded_by=None)
    return {"people": people_in_every_role(vendor=own, other_vendor=rival), "vendor": own, "ready": ready}


CASES = {
    "upload page": Case(
        "get",
        lambda w: reverse("certificate_imports:index"),
        shows(lambda w: "data-import-upload"),
        PROGRAMME_MANAGERS | {"other_programme_manager"},
    ),
    "upload a file for the vendor": Case(
        "post",
        lambda w: reverse("certificate_imports:index"),
        did(lambda w: CertificateImport.objects.filter(file_name="upload.csv").exists()),
        PROGRAMME_MANAGERS,
        data=lambda w: {"vendor": w["vendor"].pk, "file": csv_file(name="upload.csv")},
    ),
    "import page": Case(
        "get",
        lambda w: reverse("certificate_imports:detail", args=[w["ready"].pk]),
        shows(lambda w: 'data-status="ready"'),
        PROGRAMME_MANAGERS,
    ),
    "start the import": Case(
        "post",
        lambda w: reverse("certificate_imports:start", args=[w["ready"].pk]),
        did(lambda w: CertificateImport.objects.get(pk=w["ready"].pk).status != "ready"),
        PROGRAMME_MANAGERS,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_who_may(world, name):
    assert_exactly_the_allowed_roles(world, CASES[name])


@pytest.fixture
def manager_client(client, world):
    client.force_login(world["people"]["programme_manager"])
    return client


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
        ("email,name\nJos\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"email,name\n", "Columns missing"),
    ],
)
def test_bad_file_shows_its_error_and_keeps_nothing(manager_client, world, content, message):
    before = CertificateImport.objects.count()
    response = manager_client.post(
        reverse("certificate_imports:index"),
        {"vendor": world["vendor"].pk, "file": SimpleUploadedFile("bad.csv", content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CertificateImport.objects.count() == before


def test_empty_upload_is_refused(manager_client, world):
    response = manager_client.post(
        reverse("certificate_imports:index"),
        {"vendor": world["vendor"].pk, "file": SimpleUploadedFile("empty.csv", b"")},
    )
    assert response.status_code == 400 and "empty" in response.content.decode()


def test_another_vendors_id_is_refused_on_upload(manager_client):
    rival = VendorFactory(name="Not Mine")
    response = manager_client.post(reverse("certificate_imports:index"), {"vendor": rival.pk, "file": csv_file()})
    assert response.status_code == 400
    assert not CertificateImport.objects.filter(vendor=rival).exists()


def test_upload_then_start_imports_and_shows_progress(manager_client, world, django_capture_on_commit_callbacks):
    response = manager_client.post(
        reverse("certificate_imports:index"), {"vendor": world["vendor"].pk, "file": csv_file(rows=2, name="two.csv")}
    )
    job = CertificateImport.objects.get(file_name="two.csv")
    assert response.url == reverse("certificate_imports:detail", args=[job.pk])
    page = manager_client.get(response.url).content.decode()
    assert "2 certificates will be imported" in page and "Import the certificates" in page
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("certificate_imports:start", args=[job.pk]))
    page = manager_client.get(response.url).content.decode()
    assert 'data-status="finished"' in page and "2 of 2 rows done" in page
    assert Certificate.objects.filter(legacy_import=job).count() == 2


def test_running_import_page_refreshes(manager_client, world):
    CertificateImport.objects.filter(pk=world["ready"].pk).update(status="running", progressed_at=timezone.now())
    page = manager_client.get(reverse("certificate_imports:detail", args=[world["ready"].pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Resume the import" not in page


def test_error_rows_are_listed_escaped(manager_client, world):
    body = HEADER + f"<b>bad</b>,X,own-engineer,{ISSUED},{EXPIRES},1\n"
    job = certificate_import_check(
        vendor=world["vendor"], upload=SimpleUploadedFile("e.csv", body.encode()), invite_new=False, uploaded_by=None
    )
    page = manager_client.get(reverse("certificate_imports:detail", args=[job.pk])).content.decode()
    assert "data-import-errors" in page and "&lt;b&gt;bad&lt;/b&gt;" in page and "<b>bad</b>" not in page


def test_pages_queries_do_not_grow_with_imports_or_errors(manager_client, world, count_queries):
    def upload_page_and_detail():
        manager_client.get(reverse("certificate_imports:index"))
        manager_client.get(reverse("certificate_imports:detail", args=[world["ready"].pk]))

    upload_page_and_detail()
    with count_queries() as few:
        upload_page_and_detail()
    for _ in range(5):
        certificate_import_check(vendor=world["vendor"], upload=csv_file(rows=3), invite_new=False, uploaded_by=None)
    CertificateImport.objects.filter(pk=world["ready"].pk).update(errors=[[n, "bad"] for n in range(50)])
    with count_queries() as many:
        upload_page_and_detail()
    assert len(many) == len(few), many.sql()
