"""The API's token endpoints for certificates: a vendor's token revokes and lists that vendor's
certificates only, a partner organisation's token lists its members', every refusal is a JSON
body naming why, and the OpenAPI document describes the bearer scheme."""

import pytest

from certifications.models import Certificate, CertificateEvent
from community import api_tokens, services
from community.api_tokens import Scope
from tests.factories import certifications as factories
from tests.factories.community import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(certification_page):
    person = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=certification_page.vendor, user=person, manager=True)
    return person


def secret_for(user, scopes, owner_index=0):
    owner = api_tokens.token_owners_for(user=user)[owner_index]
    return api_tokens.api_token_create(
        user=user, owner=owner, name="CRM", kind="personal", scopes=scopes, valid_days=30
    )[1]


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def revoke(client, serial, secret, body=None):
    body = body if body is not None else {"reason": "exam_misconduct", "note": "Exam proxy."}
    return client.post(f"/api/v1/certificates/{serial}/revoke", body, content_type="application/json", **bearer(secret))


def test_revoke_with_a_managers_token_revokes_through_the_service(client, certification_page, manager):
    certificate = factories.certificate(holder=UserFactory(), certification_page=certification_page)

    response = revoke(client, certificate.serial, secret_for(manager, [Scope.REVOKE]))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revoked_by == manager
    assert CertificateEvent.objects.filter(certificate=certificate, kind="revoked", note="Exam proxy.").exists()
    assert revoke(client, certificate.serial, secret_for(manager, [Scope.REVOKE])).json()["error"] == (
        "already_revoked"
    )


def test_another_vendors_certificate_is_not_found(client, manager):
    other = factories.certificate(holder=UserFactory(), certification_page=factories.certification())

    response = revoke(client, other.serial, secret_for(manager, [Scope.REVOKE]))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Certificate.Status.VALID


def test_a_blank_note_is_a_clear_400_and_changes_nothing(client, certification_page, manager):
    certificate = factories.certificate(holder=UserFactory(), certification_page=certification_page)

    response = revoke(client, certificate.serial, secret_for(manager, [Scope.REVOKE]), {"reason": "other", "note": " "})

    assert response.status_code == 400 and response.json()["error"] == "invalid"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, "missing_token"),
        (bearer("pa_unknown"), "invalid_token"),
        ({"HTTP_AUTHORIZATION": "Basic eA=="}, "missing_token"),
    ],
)
def test_calls_without_a_good_token_get_401_json(client, certification_page, headers, error):
    certificate = factories.certificate(holder=UserFactory(), certification_page=certification_page)

    response = client.post(
        f"/api/v1/certificates/{certificate.serial}/revoke",
        {"reason": "other", "note": "x"},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401
    assert response.json()["error"] == error
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_read_token_may_not_revoke(client, certification_page, manager):
    certificate = factories.certificate(holder=UserFactory(), certification_page=certification_page)

    response = revoke(client, certificate.serial, secret_for(manager, [Scope.READ_CERTIFICATES]))

    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"


def test_vendor_token_lists_its_certificates_with_e_mail(client, certification_page, manager, count_queries):
    mine = [factories.certificate(holder=UserFactory(), certification_page=certification_page) for _ in range(3)]
    factories.certificate(holder=UserFactory(), certification_page=factories.certification())
    secret = secret_for(manager, [Scope.READ_CERTIFICATES])
    client.get("/api/v1/certificates", **bearer(secret))

    with count_queries() as queries:
        response = client.get("/api/v1/certificates", **bearer(secret))

    body = response.json()
    assert body["count"] == 3
    assert {row["serial"] for row in body["results"]} == {c.serial for c in mine}
    assert {row["holder_email"] for row in body["results"]} == {c.holder.email for c in mine}
    factories.certificate(holder=UserFactory(), certification_page=certification_page)
    with count_queries() as more:
        client.get("/api/v1/certificates", **bearer(secret))
    assert len(more) == len(queries)


def test_organisation_token_lists_its_current_members_certificates(client, certification_page):
    membership = MembershipFactory(role="admin")
    engineer = MembershipFactory(organisation=membership.organisation, role="engineer").user
    held = factories.certificate(holder=engineer, certification_page=certification_page)
    factories.certificate(holder=UserFactory(), certification_page=certification_page)

    body = client.get("/api/v1/certificates", **bearer(secret_for(membership.user, [Scope.READ_CERTIFICATES]))).json()

    assert [row["serial"] for row in body["results"]] == [held.serial]


def test_openapi_documents_the_bearer_scheme_and_token_errors(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    operation = schema["paths"]["/api/v1/certificates/{serial}/revoke"]["post"]
    assert operation["security"] == [{"ApiTokenAuth": []}]
    assert {"401", "403", "429"} <= set(operation["responses"])
    assert "security" not in schema["paths"]["/api/v1/certificates/{serial}"]["get"]
