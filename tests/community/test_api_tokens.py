"""API tokens: who may make them and with which scopes, the secret shown once and stored only as
a hash, revocation, and the bearer check every token endpoint runs (missing, unknown, expired,
revoked, wrong scope, a maker who lost the role, the per-token budget)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community import api_tokens, services
from community.api_tokens import Scope, TokenRefused
from community.models import ApiToken
from tests.factories.community import MembershipFactory, UserFactory, VendorFactory
from tests.factories.roles import people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles, did, shows

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind Networks")


@pytest.fixture
def manager(vendor):
    person = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=vendor, user=person, manager=True)
    return person


def make(user, *, scopes, kind=ApiToken.Kind.PERSONAL, owner_index=0, valid_days=90):
    owner = api_tokens.token_owners_for(user=user)[owner_index]
    return api_tokens.api_token_create(
        user=user, owner=owner, name="CRM sync", kind=kind, scopes=scopes, valid_days=valid_days
    )


def test_only_the_hash_is_stored_and_the_secret_authenticates(manager):
    token, secret = make(manager, scopes=[Scope.REVOKE])

    assert secret.startswith("pa_") and len(secret) > 40
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert api_tokens.api_token_authenticate(secret=secret, scope=Scope.REVOKE) == token
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_scopes_follow_the_makers_role(vendor, manager):
    author = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=vendor, user=author)
    admin = MembershipFactory(role="admin").user

    with pytest.raises(ValidationError):
        make(author, scopes=[Scope.REVOKE])
    with pytest.raises(ValidationError):
        make(admin, scopes=[Scope.IMPORT])
    assert make(author, scopes=[Scope.READ_CERTIFICATES])[0].vendor == vendor
    assert make(admin, scopes=[Scope.READ_RIGHTS])[0].organisation is not None
    assert api_tokens.token_owners_for(user=MembershipFactory(role="engineer").user) == []


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        (lambda token: None, 403, "insufficient_scope"),
        (lambda token: ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now()), 401, "revoked_token"),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1)),
            401,
            "expired_token",
        ),
    ],
)
def test_refusals_name_the_reason(manager, change, status, error):
    token, secret = make(manager, scopes=[Scope.READ_CERTIFICATES])
    change(token)
    scope = Scope.REVOKE if error == "insufficient_scope" else Scope.READ_CERTIFICATES

    with pytest.raises(TokenRefused) as refused:
        api_tokens.api_token_authenticate(secret=secret, scope=scope)

    assert (refused.value.status, refused.value.error) == (status, error)


def test_unknown_secret_is_refused(db):
    with pytest.raises(TokenRefused) as refused:
        api_tokens.api_token_authenticate(secret="pa_" + "x" * 43, scope=Scope.REVOKE)
    assert (refused.value.status, refused.value.error) == (401, "invalid_token")


def test_token_stops_when_its_maker_is_no_longer_a_manager(vendor, manager):
    _token, secret = make(manager, scopes=[Scope.REVOKE])
    manager.groups.remove(vendor.manager_group)

    with pytest.raises(TokenRefused) as refused:
        api_tokens.api_token_authenticate(secret=secret, scope=Scope.REVOKE)

    assert (refused.value.status, refused.value.error) == (403, "insufficient_scope")


def test_a_token_has_a_budget_per_minute(manager, settings):
    settings.API_TOKEN_RATE_LIMIT = 2
    _token, secret = make(manager, scopes=[Scope.REVOKE])
    api_tokens.api_token_authenticate(secret=secret, scope=Scope.REVOKE)
    api_tokens.api_token_authenticate(secret=secret, scope=Scope.REVOKE)

    with pytest.raises(TokenRefused) as refused:
        api_tokens.api_token_authenticate(secret=secret, scope=Scope.REVOKE)

    assert refused.value.status == 429


def test_personal_tokens_are_their_makers_and_shared_ones_every_fellows(vendor, manager):
    colleague = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=vendor, user=colleague, manager=True)
    personal, _secret = make(manager, scopes=[Scope.REVOKE])
    shared, _secret = make(manager, scopes=[Scope.REVOKE], kind=ApiToken.Kind.SHARED)

    assert set(api_tokens.tokens_visible_to(user=colleague)) == {shared}
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: not theirs to revoke
        api_tokens.api_token_revoke(token_id=personal.pk, user=colleague)
    assert api_tokens.api_token_revoke(token_id=shared.pk, user=colleague).revoked_by == colleague


def test_page_makes_a_token_and_shows_the_secret_once(client, manager):
    client.force_login(manager)
    owner = api_tokens.token_owners_for(user=manager)[0]
    data = {"name": "CRM", "owner": owner.key, "kind": "personal", "scopes": ["revoke"], "valid_days": "90"}

    response = client.post("/accounts/api-tokens/", data)

    token = ApiToken.objects.get()
    page = response.content.decode()
    secret = page.split('data-testid="token-secret">')[1].split("<")[0]
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/accounts/api-tokens/").content.decode()
    assert token.prefix in client.get("/accounts/api-tokens/").content.decode()


def test_page_refuses_scopes_beyond_the_role_and_makes_nothing(client, vendor):
    author = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=vendor, user=author)
    client.force_login(author)
    data = {"name": "CRM", "owner": f"vendor:{vendor.pk}", "kind": "personal", "scopes": ["revoke"], "valid_days": 90}

    response = client.post("/accounts/api-tokens/", data)

    assert response.status_code == 200
    assert "you may choose" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.fixture
def world():
    vendor = VendorFactory()
    people = people_in_every_role(vendor=vendor, other_vendor=VendorFactory())
    token, _secret = make(people["programme_manager"], scopes=[Scope.REVOKE], kind=ApiToken.Kind.SHARED)
    return {"people": people, "token": token}


def test_who_sees_the_tokens_page(world):
    assert_exactly_the_allowed_roles(
        world,
        Case(
            "get",
            lambda w: "/accounts/api-tokens/",
            shows(lambda w: "Make token"),
            {"partner_admin", "vendor_author", "programme_manager", "other_programme_manager", "superuser"},
        ),
    )


def test_who_may_revoke_a_vendors_shared_token(world):
    assert_exactly_the_allowed_roles(
        world,
        Case(
            "post",
            lambda w: f"/accounts/api-tokens/{w['token'].pk}/revoke/",
            did(lambda w: ApiToken.objects.filter(pk=w["token"].pk, revoked_at__isnull=False).exists()),
            {"vendor_author", "programme_manager", "superuser"},
        ),
    )
