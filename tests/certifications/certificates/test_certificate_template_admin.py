import io

import pypdf
import pytest
from django.urls import reverse

from certifications.certificates.vendor_templates import SAMPLE_SERIAL, certificate_template_problems
from certifications.models import CertificatePdfBatch, CertificateTemplate
from community import services as community_services
from tests.factories import certifications as f
from tests.factories.community import UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_certifications_certificatetemplate"
GOOD = "<html><body><h1>{{ holder_name }}</h1><p>{{ serial }}</p>{{ qr_svg }}<p>{{ signatory_name }}</p></body></html>"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def manager_of(vendor):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=True)
    return person


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind Networks")


@pytest.fixture
def template(vendor):
    return CertificateTemplate.objects.create(vendor=vendor, html=GOOD, signatory_name="Maria Jensen")


def form_data(vendor, **changes):
    return {
        "vendor": vendor.pk,
        "signatory_name": "Maria Jensen",
        "signatory_title": "Director",
        "html": GOOD,
        **changes,
    }


def test_staff_list_only_their_own_vendors_templates(client, template):
    other = CertificateTemplate.objects.create(vendor=VendorFactory(name="Contoso Cloud"))
    client.force_login(manager_of(template.vendor))
    body = client.get(url("list")).content.decode()
    assert "Northwind Networks" in body and "Contoso Cloud" not in body
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client.get(url("preview", other.pk)).status_code == 404
    assert client.get(url("regenerate", other.pk)).status_code == 404
    assert client.post(url("regenerate", other.pk)).status_code == 404
    assert not CertificatePdfBatch.objects.exists()


def test_people_without_admin_access_are_sent_to_sign_in(client, template):
    client.force_login(UserFactory())
    for name in ("edit", "preview", "regenerate"):
        assert client.get(url(name, template.pk)).status_code == 302
    client.logout()
    assert client.get(url("list")).status_code == 302


def test_staff_of_no_vendor_cannot_reach_the_templates(client, template):
    client.force_login(UserFactory(is_staff=True))
    for name in ("edit", "preview", "regenerate"):
        assert client.get(url(name, template.pk)).status_code in (302, 404)
    assert client.post(url("regenerate", template.pk)).status_code in (302, 404)
    assert not CertificatePdfBatch.objects.exists()


def test_staff_edit_their_template_and_the_editor_is_recorded(client, template):
    person = manager_of(template.vendor)
    client.force_login(person)
    response = client.post(url("edit", template.pk), form_data(template.vendor, signatory_title="Head of Partners"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.signatory_title == "Head of Partners" and template.updated_by == person


def test_a_template_syntax_error_is_a_form_error_and_nothing_is_lost(client, template):
    client.force_login(manager_of(template.vendor))
    broken = "<p>{{ holder_name }} {{ serial }} {{ qr_svg }}{% if products %}</p>"
    response = client.post(url("edit", template.pk), form_data(template.vendor, html=broken))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The template has an error" in body and "Unclosed tag on line 1" in body
    assert "{% if products %}" in body  # what was typed is still in the form
    template.refresh_from_db()
    assert template.html == GOOD


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>{{ serial }} {{ qr_svg }}</p>", "must print the holder"),
        ("<p>{{ holder_name }} {{ qr_svg }}</p>", "must print the serial"),
        ("<p>{{ holder_name }} {{ serial }}</p>", "must print the QR code"),
        ("{% include 'certifications/no-such-template.html' %}", "could not be rendered"),
        ("{% load no_such_library %}", "The template has an error"),
    ],
)
def test_templates_that_cannot_make_a_verifiable_certificate_are_refused(vendor, html, message):
    problems = certificate_template_problems(vendor=vendor, html=html)
    assert problems and any(message in problem for problem in problems), problems


def test_an_empty_template_and_one_extending_the_default_are_fine(vendor):
    assert certificate_template_problems(vendor=vendor, html="") == []
    extending = (
        '{% extends "certifications/certificate_pdf.html" %}'
        "{% block extra_style %}<style>.holder { color: #a00; }</style>{% endblock %}"
    )
    assert certificate_template_problems(vendor=vendor, html=extending) == []


def test_staff_create_a_template_only_for_their_vendors_without_one(client, vendor):
    person = manager_of(vendor)
    other = VendorFactory()
    client.force_login(person)
    assert client.post(url("add"), form_data(other)).status_code == 200
    assert not CertificateTemplate.objects.exists()
    assert client.post(url("add"), form_data(vendor)).status_code == 302
    created = CertificateTemplate.objects.get()
    assert created.vendor == vendor and created.updated_by == person
    # A second one for the same vendor is not offered.
    assert client.post(url("add"), form_data(vendor)).status_code == 200
    assert CertificateTemplate.objects.count() == 1


def test_the_vendor_of_a_template_cannot_be_changed(client, template):
    person = manager_of(template.vendor)
    mine_too = VendorFactory()
    community_services.vendor_staff_add(vendor=mine_too, user=person, manager=True)
    client.force_login(person)
    client.post(url("edit", template.pk), form_data(mine_too))
    template.refresh_from_db()
    assert template.vendor_id != mine_too.pk


def test_preview_is_a_pdf_of_a_sample_certificate_with_the_template(client, template):
    client.force_login(manager_of(template.vendor))
    response = client.get(url("preview", template.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert SAMPLE_SERIAL in text and "Maria Jensen" in text


def test_the_template_as_typed_previews_before_it_is_saved(client, template):
    client.force_login(manager_of(template.vendor))
    typed = GOOD.replace("<h1>", "<h1>Unsaved layout for ")
    response = client.post(url("preview", template.pk), form_data(template.vendor, html=typed))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Unsaved layout for" in text
    template.refresh_from_db()
    assert template.html == GOOD


def test_previewing_a_broken_template_lists_its_problems(client, template):
    client.force_login(manager_of(template.vendor))
    response = client.post(url("preview", template.pk), form_data(template.vendor, html="<p>{{ serial }}"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "must print the holder" in body and "must print the QR code" in body


def test_a_new_template_previews_for_the_persons_own_vendors_only(client, vendor):
    client.force_login(manager_of(vendor))
    response = client.post(url("preview_new"), form_data(vendor))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    other = client.post(url("preview_new"), form_data(VendorFactory()))
    assert other.status_code == 400 and "Choose the vendor first" in other.content.decode()
    assert client.get(url("preview_new")).status_code == 405


def test_preview_of_another_vendors_template_is_not_found(client, template):
    client.force_login(manager_of(VendorFactory()))
    assert client.post(url("preview", template.pk), form_data(template.vendor)).status_code == 404


def test_edit_page_offers_preview_and_regeneration(client, template):
    client.force_login(manager_of(template.vendor))
    body = client.get(url("edit", template.pk)).content.decode()
    assert url("preview", template.pk) in body and url("regenerate", template.pk) in body
    assert f'formaction="{url("preview", template.pk)}"' in body
    assert f'formaction="{url("preview_new")}"' in client.get(url("add")).content.decode()


def test_regeneration_from_the_admin_runs_and_shows_its_progress(client, template, django_capture_on_commit_callbacks):
    page = f.certification(vendor=template.vendor)
    certificates = [f.certificate(holder=UserFactory(), certification_page=page) for _ in range(2)]
    f.certificate(holder=UserFactory(), certification_page=page, status="revoked")
    person = manager_of(template.vendor)
    client.force_login(person)
    page_body = client.get(url("regenerate", template.pk)).content.decode()
    assert "Re-render the PDFs of 2 certificates" in page_body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("regenerate", template.pk))
    assert response.status_code == 302
    assert "Regenerating 2 PDFs of Northwind Networks." in client.get(response.url).content.decode()
    batch = CertificatePdfBatch.objects.get()
    assert (batch.vendor, batch.requested_by, batch.total, batch.done, batch.failed) == (
        template.vendor,
        person,
        2,
        2,
        0,
    )
    assert batch.finished_at is not None
    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.pdf_sha256
    body = client.get(url("regenerate", template.pk)).content.decode()
    assert "2 of 2" in body and "Finished" in body and 'http-equiv="refresh"' not in body


def test_a_running_regeneration_refuses_a_second_and_the_page_refreshes(client, template):
    f.certificate(holder=UserFactory(), certification_page=f.certification(vendor=template.vendor))
    client.force_login(manager_of(template.vendor))
    client.post(url("regenerate", template.pk))  # tasks wait for a commit that never comes in this test
    response = client.post(url("regenerate", template.pk), follow=True)
    assert "still running" in response.content.decode()
    assert CertificatePdfBatch.objects.count() == 1
    body = client.get(url("regenerate", template.pk)).content.decode()
    assert 'http-equiv="refresh"' in body and "0 of 1" in body


def test_regeneration_page_queries_do_not_grow_with_batches(client, template, count_queries):
    from django.utils import timezone

    client.force_login(manager_of(template.vendor))
    client.get(url("regenerate", template.pk))
    CertificatePdfBatch.objects.create(vendor=template.vendor, created_at=timezone.now(), finished_at=timezone.now())
    with count_queries() as few:
        client.get(url("regenerate", template.pk))
    for _ in range(5):
        CertificatePdfBatch.objects.create(
            vendor=template.vendor, created_at=timezone.now(), finished_at=timezone.now(), requested_by=UserFactory()
        )
    with count_queries() as many:
        client.get(url("regenerate", template.pk))
    assert len(many) == len(few), many.sql()


def test_template_list_queries_do_not_grow_with_templates(client, count_queries):
    person = UserFactory(is_staff=True)
    vendors = [VendorFactory() for _ in range(6)]
    for vendor in vendors:
        community_services.vendor_staff_add(vendor=vendor, user=person, manager=True)
    client.force_login(person)
    CertificateTemplate.objects.create(vendor=vendors[0], updated_by=person)
    client.get(url("list"))
    with count_queries() as few:
        assert client.get(url("list")).status_code == 200
    for vendor in vendors[1:]:
        CertificateTemplate.objects.create(vendor=vendor, updated_by=person)
    with count_queries() as many:
        body = client.get(url("list")).content.decode()
    assert all(vendor.name in body for vendor in vendors)
    assert len(many) == len(few), many.sql()
