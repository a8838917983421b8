"""Bulk ZIPs of certificate PDFs: built by the task with the stored PDFs (rendering missing ones),
scoped to the vendor and to what was asked, downloadable by the vendor's programme managers
until the link expires, then swept away; every URL tried as every role."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.exports import archives
from certifications.models import CertificateArchive
from tests.factories import certifications as f
from tests.factories.community import MembershipFactory, OrganisationFactory, UserFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did

pytestmark = pytest.mark.django_db
LIST = reverse("certificate_archives")


def stored(certificate, content: bytes):
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=True)
    return certificate


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor", slug="own"), VendorFactory(name="Rival Vendor", slug="rival")
    people = people_in_every_role(vendor=own, other_vendor=rival)
    certification = f.certification(vendor=own, title="Own Engineer")
    other_certification = f.certification(vendor=own, title="Own Architect")
    partner = OrganisationFactory(name="Team Partner")
    member = MembershipFactory(organisation=partner).user
    return {
        "people": people,
        "vendor": own,
        "certification": certification,
        "partner": partner,
        "mine": stored(f.certificate(holder=member, certification_page=certification), b"%PDF-member"),
        "other": stored(f.certificate(holder=UserFactory(), certification_page=other_certification), b"%PDF-other"),
        "rival": stored(f.certificate(holder=member, certification_page=f.certification(vendor=rival)), b"%PDF-r"),
    }


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """Request an archive and run its build as a committed request would."""

    def request(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            archive = archives.certificate_archive_request(**fields)
        archive.refresh_from_db()
        return archive

    return request


def names_in(archive) -> set[str]:
    with archive.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def test_a_zip_per_certification_holds_its_stored_pdfs(world, build):
    archive = build(
        vendor=world["vendor"], requested_by=world["people"]["programme_manager"], certification=world["certification"]
    )
    archive.refresh_from_db()
    assert archive.finished_at and (archive.done, archive.total) == (1, 1)
    assert names_in(archive) == {f"{world['mine'].serial}.pdf": b"%PDF-member"}
    assert archive.expires_at == archive.finished_at + timedelta(hours=archives.ARCHIVE_HOURS)


def test_a_zip_per_partner_or_dates_keeps_to_the_vendor_and_renders_missing_pdfs(world, build):
    unrendered = f.certificate(holder=world["mine"].holder, certification_page=world["certification"])
    archive = build(
        vendor=world["vendor"], requested_by=world["people"]["programme_manager"], organisation=world["partner"]
    )
    archive.refresh_from_db()
    contents = names_in(archive)
    assert set(contents) == {f"{world['mine'].serial}.pdf", f"{unrendered.serial}.pdf"}
    assert contents[f"{unrendered.serial}.pdf"].startswith(b"%PDF")
    unrendered.refresh_from_db()
    assert unrendered.pdf, "the rendered PDF is stored on the certificate"
    today = timezone.localdate()
    dated = build(vendor=world["vendor"], requested_by=None, issued_from=today - timedelta(days=400), issued_to=today)
    dated.refresh_from_db()
    assert set(names_in(dated)) == {f"{c.serial}.pdf" for c in (world["mine"], world["other"], unrendered)}


def test_expired_zips_stop_downloading_and_are_swept(world, build):
    manager = Client()
    manager.force_login(world["people"]["programme_manager"])
    archive = build(vendor=world["vendor"], requested_by=None, certification=world["certification"])
    url = reverse("certificate_archive", args=[archive.pk])
    response = manager.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    CertificateArchive.objects.filter(pk=archive.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert manager.get(url).status_code == 410
    archive.refresh_from_db()
    storage, name = archive.file.storage, archive.file.name
    assert archives.certificate_archives_sweep() == 1
    assert not CertificateArchive.objects.exists() and not storage.exists(name)
    assert manager.get(url).status_code == 404


def test_a_request_without_a_choice_or_with_reversed_dates_is_refused(world, build):
    manager = Client()
    manager.force_login(world["people"]["programme_manager"])
    response = manager.post(LIST + "?vendor=own", {})
    assert (
        response.status_code == 400 and "Choose a certification, a partner or issue dates." in response.content.decode()
    )
    response = manager.post(LIST + "?vendor=own", {"issued_from": "2026-02-01", "issued_to": "2026-01-01"})
    assert response.status_code == 400 and not CertificateArchive.objects.exists()
    response = manager.post(LIST + "?vendor=own", {"organisation": "no-such-partner"})
    assert response.status_code == 400 and "No partner has this slug." in response.content.decode()


ROLE_CASES = {
    "see the ZIP page": Case(
        "get",
        lambda w: LIST + "?vendor=own",
        lambda w, r: r.status_code == 200 and "Own Engineer" in r.content.decode(),
        PROGRAMME_MANAGERS,
    ),
    "request a ZIP": Case(
        "post",
        lambda w: LIST + "?vendor=own",
        did(lambda w: CertificateArchive.objects.filter(vendor=w["vendor"]).count() == 2),
        PROGRAMME_MANAGERS,
        data=lambda w: {"certification": w["certification"].pk},
    ),
    "download a ZIP": Case(
        "get",
        lambda w: reverse("certificate_archive", args=[w["archive"].pk]),
        lambda w, r: r.status_code == 200 and r["Content-Type"] == "application/zip",
        PROGRAMME_MANAGERS,
    ),
}


@pytest.mark.parametrize("name", ROLE_CASES)
def test_only_the_vendors_programme_managers_build_and_download_zips(world, build, name):
    world["archive"] = build(vendor=world["vendor"], requested_by=None, certification=world["certification"])
    assert_exactly_the_allowed_roles(world, ROLE_CASES[name])


def test_the_page_runs_the_same_queries_for_one_zip_and_many(world, build, count_queries):
    manager = Client()
    manager.force_login(world["people"]["programme_manager"])
    build(vendor=world["vendor"], requested_by=None, organisation=world["partner"])
    manager.get(LIST)
    with count_queries() as one:
        manager.get(LIST)
    for _ in range(3):
        build(
            vendor=world["vendor"],
            requested_by=world["people"]["programme_manager"],
            certification=world["certification"],
        )
    with count_queries() as many:
        manager.get(LIST)
    assert len(many) == len(one), many.sql()
