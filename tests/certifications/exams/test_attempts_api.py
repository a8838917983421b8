"""`GET /api/v1/attempts`: a vendor's token with scope `read_attempts` reads that vendor's
attempts only, a page at a time, in a constant number of queries."""

import pytest

from community import api_tokens, services
from community.api_tokens import Scope
from tests.factories import certifications as factories
from tests.factories.community import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def secret_for(user, scopes):
    owner = api_tokens.token_owners_for(user=user)[0]
    return api_tokens.api_token_create(user=user, owner=owner, name="BI", kind="shared", scopes=scopes, valid_days=30)[
        1
    ]


@pytest.fixture
def exam(certification_page):
    return factories.exam(certification_page=certification_page, questions=2)


@pytest.fixture
def manager(certification_page):
    person = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=certification_page.vendor, user=person, manager=True)
    return person


def test_lists_the_vendors_attempts_in_constant_queries(client, exam, manager, count_queries):
    factories.passed_attempt(exam=exam, user=UserFactory(email="ana@example.com"))
    factories.passed_attempt(exam=factories.exam(questions=1), user=UserFactory())
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret_for(manager, [Scope.READ_ATTEMPTS])}"}
    client.get("/api/v1/attempts", **headers)

    with count_queries() as queries:
        body = client.get("/api/v1/attempts", **headers).json()
    factories.passed_attempt(exam=exam, user=UserFactory())
    with count_queries() as more:
        client.get("/api/v1/attempts", **headers)

    assert body["count"] == 1
    assert body["results"][0]["candidate_email"] == "ana@example.com"
    assert body["results"][0]["passed"] is True
    assert len(more) == len(queries)


def test_past_the_last_page_is_a_404(client, exam, manager):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret_for(manager, [Scope.READ_ATTEMPTS])}"}

    assert client.get("/api/v1/attempts?page=2", **headers).status_code == 404


def test_a_partner_admins_token_cannot_have_the_scope(client, exam):
    admin = MembershipFactory(role="admin").user

    assert Scope.READ_ATTEMPTS not in api_tokens.token_owners_for(user=admin)[0].scopes
    assert client.get("/api/v1/attempts").json()["error"] == "missing_token"
