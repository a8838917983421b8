"""Who may open each programme view of the Wagtail admin and take each action, tried as every
role (README.md, "Who may do what"). Authors write content: question banks, exams and pages.
Programme managers run the programme: results, reopening, accommodations, certificates and
revocation, certificate templates, delivery-right rules, the dashboard. Another vendor's
programme manager, partner people and forum moderators get none of this vendor's."""

import pytest
from django.urls import reverse

from certifications.exams import services
from certifications.models import (
    Accommodation,
    Certificate,
    CertificatePdfBatch,
    CertificateTemplate,
    DeliveryRightRule,
    ExamAuditEvent,
)
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as f
from tests.factories.community import ProductFactory, UserFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, VENDOR_STAFF, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did, shows

pytestmark = pytest.mark.django_db

RULES = "wagtailsnippets_certifications_deliveryrightrule"
TEMPLATES = "wagtailsnippets_certifications_certificatetemplate"
# Menus and links are the same for every vendor's programme managers.
ANY_PROGRAMME_MANAGER = PROGRAMME_MANAGERS | {"other_programme_manager"}
TEMPLATE_HTML = "<html><body><h1>{{ holder_name }}</h1><p>{{ serial }}</p>{{ qr_svg }}</body></html>"


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor"), VendorFactory(name="Rival Vendor")
    certification = f.certification(vendor=own, title="Own Certified Engineer")
    exam = f.exam(certification_page=certification, questions=2)
    candidate = UserFactory(email="candidate@example.com")
    attempt = services.attempt_start(exam=exam, user=candidate)
    f.answer_all(attempt, correct=False)
    product = ProductFactory(vendor=own, name="Own Firewall")
    world = {
        "people": people_in_every_role(vendor=own, other_vendor=rival),
        "exam": exam,
        "candidate": candidate,
        "attempt": services.attempt_submit(attempt=attempt),
        "certificate": f.certificate(holder=UserFactory(), certification_page=certification),
        "certification": certification,
        "rule": make_rule(product=product, certifications=[certification]),
        "unruled_product": ProductFactory(vendor=own, name="Own Router"),
        "template": CertificateTemplate.objects.create(vendor=own, html=TEMPLATE_HTML, signatory_name="Maria Jensen"),
        "pool": exam.sections.get().pool,
    }
    return world


CASES = {
    "admin home links the programme dashboard": Case(
        "get",
        lambda w: reverse("wagtailadmin_home"),
        shows(lambda w: reverse("programme_dashboard")),
        ANY_PROGRAMME_MANAGER,
    ),
    "admin menu links the certificates": Case(
        "get",
        lambda w: reverse("wagtailadmin_home"),
        shows(lambda w: reverse("certificates_admin:index")),
        ANY_PROGRAMME_MANAGER,
    ),
    "programme dashboard": Case(
        "get",
        lambda w: reverse("programme_dashboard") + "?vendor=" + w["exam"].certification.vendor.slug,
        shows(lambda w: "Own Vendor"),
        PROGRAMME_MANAGERS,
    ),
    "certificates list": Case(
        "get",
        lambda w: reverse("certificates_admin:index"),
        shows(lambda w: w["certificate"].serial),
        PROGRAMME_MANAGERS,
    ),
    "certificate detail": Case(
        "get",
        lambda w: reverse("certificates_admin:detail", args=[w["certificate"].pk]),
        shows(lambda w: w["certificate"].serial),
        PROGRAMME_MANAGERS,
    ),
    "revoke a certificate": Case(
        "post",
        lambda w: reverse("certificates_admin:revoke", args=[w["certificate"].pk]),
        did(lambda w: Certificate.objects.get(pk=w["certificate"].pk).status == Certificate.Status.REVOKED),
        PROGRAMME_MANAGERS,
        lambda w: {"reason": Certificate.RevocationReason.EXAM_MISCONDUCT, "note": "Seen."},
    ),
    "exam results on the results index": Case(
        "get",
        lambda w: reverse("certifications_admin:index"),
        shows(lambda w: reverse("certifications_admin:exam_report", args=[w["exam"].pk])),
        PROGRAMME_MANAGERS,
    ),
    "question pools on the results index": Case(
        "get",
        lambda w: reverse("certifications_admin:index"),
        shows(lambda w: reverse("certifications_admin:pool_import", args=[w["pool"].pk])),
        VENDOR_STAFF,
    ),
    "exam results": Case(
        "get",
        lambda w: reverse("certifications_admin:exam_report", args=[w["exam"].pk]),
        shows(lambda w: w["candidate"].email),
        PROGRAMME_MANAGERS,
    ),
    "exam results as CSV": Case(
        "get",
        lambda w: reverse("certifications_admin:exam_report", args=[w["exam"].pk]) + "?export=csv",
        shows(lambda w: w["candidate"].email),
        PROGRAMME_MANAGERS,
    ),
    "grant an accommodation": Case(
        "post",
        lambda w: reverse("certifications_admin:accommodation_grant", args=[w["exam"].pk]),
        did(lambda w: Accommodation.objects.filter(exam=w["exam"]).exists()),
        PROGRAMME_MANAGERS,
        lambda w: {"email": w["candidate"].email, "extra_minutes": 15, "extra_attempts": 1, "note": "Dyslexia."},
    ),
    "reopen an attempt": Case(
        "post",
        lambda w: reverse("certifications_admin:attempt_reopen", args=[w["attempt"].pk]),
        did(lambda w: ExamAuditEvent.objects.filter(attempt=w["attempt"], kind=ExamAuditEvent.Kind.REOPEN).exists()),
        PROGRAMME_MANAGERS,
        lambda w: {"note": "The test centre lost power."},
    ),
    "import questions into a pool": Case(
        "get",
        lambda w: reverse("certifications_admin:pool_import", args=[w["pool"].pk]),
        shows(lambda w: w["pool"].name),
        VENDOR_STAFF,
    ),
    "export a pool": Case(
        "get",
        lambda w: reverse("certifications_admin:pool_export", args=[w["pool"].pk, "csv"]),
        shows(lambda w: w["pool"].questions.first().text),
        VENDOR_STAFF,
    ),
    "question pools in the snippets": Case(
        "get",
        lambda w: reverse("wagtailsnippets_certifications_questionpool:list"),
        shows(lambda w: w["pool"].name),
        VENDOR_STAFF,
    ),
    "edit an exam": Case(
        "get",
        lambda w: reverse("wagtailsnippets_certifications_exam:edit", args=[w["exam"].pk]),
        shows(lambda w: "Own Certified Engineer"),
        VENDOR_STAFF,
    ),
    "delivery-right rules list": Case(
        "get", lambda w: reverse(f"{RULES}:list"), shows(lambda w: "Own Firewall"), PROGRAMME_MANAGERS
    ),
    "new delivery-right rule form": Case(
        "get",
        lambda w: reverse(f"{RULES}:add"),
        shows(lambda w: f'value="{w["unruled_product"].pk}"'),
        PROGRAMME_MANAGERS,
    ),
    "save a delivery-right rule": Case(
        "post",
        lambda w: reverse(f"{RULES}:edit", args=[w["rule"].pk]),
        did(lambda w: DeliveryRightRule.objects.get(pk=w["rule"].pk).min_engineers == 3),
        PROGRAMME_MANAGERS,
        lambda w: {
            "min_engineers": 3,
            "grace_days": 30,
            "max_products_per_engineer": "",
            "certifications": [w["certification"].pk],
        },
    ),
    "certificate templates list": Case(
        "get",
        lambda w: reverse(f"{TEMPLATES}:list"),
        shows(lambda w: reverse(f"{TEMPLATES}:edit", args=[w["template"].pk])),
        PROGRAMME_MANAGERS,
    ),
    "edit the certificate template": Case(
        "get",
        lambda w: reverse(f"{TEMPLATES}:edit", args=[w["template"].pk]),
        shows(lambda w: "Maria Jensen"),
        PROGRAMME_MANAGERS,
    ),
    "preview the certificate template": Case(
        "get",
        lambda w: reverse(f"{TEMPLATES}:preview", args=[w["template"].pk]),
        lambda w, response: response.status_code == 200 and response["Content-Type"] == "application/pdf",
        PROGRAMME_MANAGERS,
    ),
    "regenerate the vendor's PDFs": Case(
        "post",
        lambda w: reverse(f"{TEMPLATES}:regenerate", args=[w["template"].pk]),
        did(lambda w: CertificatePdfBatch.objects.exists()),
        PROGRAMME_MANAGERS,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_role_gets_exactly_what_its_job_needs(world, name):
    assert_exactly_the_allowed_roles(world, CASES[name])
