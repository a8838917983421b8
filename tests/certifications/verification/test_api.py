"""The public JSON API: `/api/v1/certificates/<serial>` answers anyone with the printed facts and the
status, tells a mistyped serial from a malformed or unknown one, leaks nothing private, and is
described by OpenAPI at `/api/v1/openapi.json`."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from certifications.certificates.serials import serial_generate
from certifications.models import Certificate, CertificateEvent
from tests.factories import certifications as factories
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return UserFactory(full_name="Wang Xiaoming", certificate_name="王小明", email="wang.private@example.com")


def make(certification_page, holder, **fields) -> Certificate:
    fields.setdefault("product_names", ["Northwind SD-WAN", "Northwind Edge Firewall"])
    return factories.certificate(holder=holder, certification_page=certification_page, **fields)


def get(client, serial, **headers):
    return client.get(f"/api/v1/certificates/{serial}", **headers)


def test_anonymous_caller_gets_the_printed_facts_and_status(client, certification_page, holder):
    certificate = make(certification_page, holder)

    response = get(client, certificate.serial)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body == {
        "serial": certificate.serial,
        "status": "valid",
        "holder_name": "王小明",
        "certification": "Certified SD-WAN Engineer",
        "vendor": "Northwind Networks",
        "products": ["Northwind SD-WAN", "Northwind Edge Firewall"],
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "imported": False,
        "imported_on": None,
        "revocation": None,
        "verification_url": f"http://testserver/verify/{certificate.serial}/",
        "credential_url": f"http://testserver/api/v1/certificates/{certificate.serial}/credential",
    }


def test_serial_may_be_typed_in_any_case_with_spaces_or_without_dashes(client, certification_page, holder):
    certificate = make(certification_page, holder)
    sloppy = certificate.serial.lower().replace("-", "")

    response = get(client, sloppy)

    assert response.status_code == 200
    assert response.json()["serial"] == certificate.serial


def test_expired_by_sweep_or_by_date_both_read_expired(client, certification_page, holder):
    marked = make(certification_page, holder, status="expired")
    lapsed = make(
        certification_page,
        holder,
        issued_on=timezone.localdate() - timedelta(days=800),
        expires_on=timezone.localdate() - timedelta(days=1),
    )

    assert get(client, marked.serial).json()["status"] == "expired"
    assert get(client, lapsed.serial).json()["status"] == "expired"


def test_revoked_says_when_and_why_but_not_the_note(client, certification_page, holder):
    revoked_at = timezone.now() - timedelta(days=3)
    certificate = make(
        certification_page, holder, status="revoked", revoked_at=revoked_at, revocation_reason="exam_misconduct"
    )
    CertificateEvent.objects.create(
        certificate=certificate, kind="revoked", at=revoked_at, note="Shared answers in the Telegram group"
    )

    response = get(client, certificate.serial)

    body = response.json()
    assert body["status"] == "revoked"
    assert body["revocation"] == {
        "revoked_on": revoked_at.date().isoformat(),
        "reason": "exam_misconduct",
        "reason_label": "Exam misconduct",
    }
    assert "Telegram" not in response.content.decode()


def test_unknown_serial_is_404_with_a_json_error(client):
    serial = serial_generate()

    response = get(client, serial)

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "No certificate has this serial.", "serial": serial}


def test_mistyped_serial_is_400_and_says_mistyped_not_unknown(client, certification_page, holder):
    certificate = make(certification_page, holder)
    last = certificate.serial[-1]
    mistyped = certificate.serial[:-1] + ("X" if last != "X" else "Y")

    response = get(client, mistyped)

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "mistyped"
    assert body["serial"] == mistyped
    assert "mistyped" in body["message"]


@pytest.mark.parametrize("text", ["hello", "PA-1234", "PA-UUUU-UUUU-UUUU", "' OR 1=1 --"])
def test_malformed_serial_is_400_and_says_malformed(client, text):
    response = get(client, text)

    assert response.status_code == 400
    assert response.json()["error"] == "malformed"


def _all_keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _all_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_keys(value)


def _all_values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _all_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_values(value)
    else:
        yield node


@pytest.mark.parametrize("status", ["valid", "expired", "revoked"])
def test_responses_carry_no_email_and_no_internal_ids(client, certification_page, holder, status):
    certificate = make(
        certification_page, holder, status=status, revocation_reason="other" if status == "revoked" else ""
    )

    for path in (
        f"/api/v1/certificates/{certificate.serial}",
        f"/api/v1/certificates/{certificate.serial}/credential",
    ):
        response = client.get(path)
        text = response.content.decode()
        body = json.loads(text)
        assert response.status_code == 200
        assert "@" not in text.replace("@context", "")
        assert holder.email not in text and "wang.private" not in text
        assert not {"pk", "holder", "holder_id", "attempt", "email", "note"} & set(_all_keys(body))
        # Only URLs identify things; the one number a credential carries is its status-list index.
        numbers = [
            value for value in _all_values(body) if isinstance(value, int | float) and not isinstance(value, bool)
        ]
        digits = [value for value in _all_values(body) if isinstance(value, str) and value.isdigit()]
        assert numbers == []
        assert digits in ([], [str(certificate.pk)])


def test_openapi_schema_is_served_at_the_documented_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Partner Academy API"
    assert "/api/v1/certificates/{serial}" in schema["paths"]
    assert "/api/v1/certificates/{serial}/credential" in schema["paths"]
    operation = schema["paths"]["/api/v1/certificates/{serial}"]["get"]
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    certificate_schema = schema["components"]["schemas"]["CertificateOut"]
    assert "email" not in json.dumps(certificate_schema)


def test_interactive_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "cdn." not in response.content.decode()


def test_query_count_does_not_grow_with_certificates(client, certification_page, holder, count_queries):
    def measure():
        certificate = make(certification_page, holder)
        get(client, certificate.serial)  # warm the page's site root cache
        with count_queries() as queries:
            assert get(client, certificate.serial).status_code == 200
        return len(queries)

    for _i in range(4):
        make(certification_page, holder, status="revoked", revocation_reason="other")
    few = measure()
    for _i in range(45):
        make(certification_page, holder)
    many = measure()

    assert few == many
    assert many <= 2


def test_lookups_share_the_verification_budget_and_get_a_json_429(client, certification_page, holder, settings):
    settings.VERIFY_RATE_LIMIT = 3
    certificate = make(certification_page, holder)
    address = {"REMOTE_ADDR": "203.0.113.41"}

    statuses = [get(client, certificate.serial, **address).status_code for _i in range(3)]
    refused = get(client, certificate.serial, **address)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert refused["Retry-After"] == "60"
    assert client.get(f"/verify/{certificate.serial}/", **address).status_code == 429
    assert get(client, certificate.serial, REMOTE_ADDR="203.0.113.42").status_code == 200
