"""The question-bank import and export pages for every format, per role: the pool's vendor staff
(authors and programme managers) use them; anyone else gets the login page or a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certifications.exams.formats import FORMATS
from certifications.models import Question
from community import services as community_services
from tests.factories import certifications as f
from tests.factories.community import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Routing</text></category></question>
  <question type="truefalse">
    <name><text>BGP</text></name>
    <questiontext format="html"><text>&lt;p&gt;BGP is a path-vector protocol.&lt;/p&gt;</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="match"><name><text>Pair the ports</text></name></question>
</quiz>
"""


def _staff(vendor, *, manager=False):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=manager)
    return person


@pytest.fixture
def pool():
    pool = f.QuestionPoolFactory()
    f.question(pool=pool, text="Which port does HTTPS use?")
    return pool


def _people(pool):
    return {
        "anonymous": None,
        "engineer": MembershipFactory().user,
        "other vendor's staff": _staff(f.QuestionPoolFactory().vendor),
        "vendor author": _staff(pool.vendor),
        "programme manager": _staff(pool.vendor, manager=True),
    }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_is_for_the_pools_vendor_staff_only(client, pool, fmt):
    url = reverse("certifications_admin:pool_export", args=[pool.pk, fmt])
    for role, person in _people(pool).items():
        client.logout()
        if person:
            client.force_login(person)
        response = client.get(url)
        if role in ("vendor author", "programme manager"):
            assert response.status_code == 200, role
            assert response["Content-Type"] == FORMATS[fmt].content_type
            assert f'filename="pool-{pool.pk}.{FORMATS[fmt].extension}"' in response["Content-Disposition"]
        elif role == "other vendor's staff":
            assert response.status_code == 404
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], role


def test_moodle_xml_import_per_role_names_refused_questions_and_keeps_the_upload(client, pool):
    url = reverse("certifications_admin:pool_import", args=[pool.pk])
    for role, person in _people(pool).items():
        client.logout()
        if person:
            client.force_login(person)
        response = client.get(url)
        if role in ("vendor author", "programme manager"):
            assert response.status_code == 200 and "Moodle XML" in response.content.decode()
        elif role == "other vendor's staff":
            assert response.status_code == 404
            assert client.post(url, {"format": "moodle_xml", "text": MOODLE_XML}).status_code == 404
        else:
            assert response.status_code == 302, role
    client.force_login(_staff(pool.vendor))
    upload = ("bank.xml", MOODLE_XML.encode(), "application/xml")
    response = client.post(url, {"format": "moodle_xml", "file": SimpleUploadedFile(*upload)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Question 2 “Pair the ports”: Matching questions are not supported" in body
    assert "Fix these questions" in body
    # The upload comes back in the text box, so fixing it does not need the file again.
    assert "path-vector protocol" in body and "&lt;quiz&gt;" in body
    assert Question.objects.filter(pool=pool).count() == 1
    fixed = MOODLE_XML.replace('<question type="match"><name><text>Pair the ports</text></name></question>', "")
    response = client.post(url, {"format": "moodle_xml", "text": fixed})
    assert response.status_code == 302
    imported = Question.objects.get(pool=pool, section_tag="Routing")
    assert (imported.kind, imported.text) == ("true_false", "BGP is a path-vector protocol.")


def test_exported_moodle_xml_imports_back_into_another_pool(client, pool):
    client.force_login(_staff(pool.vendor))
    export = client.get(reverse("certifications_admin:pool_export", args=[pool.pk, "moodle_xml"])).content
    other = f.QuestionPoolFactory(vendor=pool.vendor)
    response = client.post(
        reverse("certifications_admin:pool_import", args=[other.pk]),
        {"format": "moodle_xml", "text": export.decode()},
    )
    assert response.status_code == 302
    assert list(other.questions.values_list("text", flat=True)) == ["Which port does HTTPS use?"]


def test_qti_package_import_per_role_and_its_errors(client, pool):
    from certifications.exams.formats.qti import qti_dump
    from certifications.exams.selectors import pool_questions_data

    url = reverse("certifications_admin:pool_import", args=[pool.pk])
    package = qti_dump(pool_questions_data(pool=pool))
    for role, person in _people(pool).items():
        client.logout()
        if person:
            client.force_login(person)
        response = client.post(url, {"format": "qti", "file": SimpleUploadedFile("bank.zip", package)})
        if role in ("vendor author", "programme manager"):
            assert response.status_code == 302, role
        elif role == "other vendor's staff":
            assert response.status_code == 404
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], role
    assert Question.objects.filter(pool=pool, text="Which port does HTTPS use?").count() == 3
    client.force_login(_staff(pool.vendor))
    body = client.post(url, {"format": "qti", "file": SimpleUploadedFile("bank.zip", b"junk")}).content.decode()
    assert "the file is not a zip package" in body
    body = client.post(url, {"format": "qti", "text": "pasted"}).content.decode()
    assert "Upload the package" in body
    assert Question.objects.filter(pool=pool).count() == 3
