"""Two-factor authentication with allauth's mfa app: TOTP activation from the secret the page
shows, the code asked at login, and single-use recovery codes."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories.community import PASSWORD, UserFactory


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written out here so the test does not trust allauth's own."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _activate_totp(client) -> str:
    gate = client.get(reverse("mfa_activate_totp"))
    assert gate["Location"].startswith(reverse("account_reauthenticate"))  # MFA changes ask for the password again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    content = page.content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', content) or re.search(
        r'value="([A-Z2-7]{16,})"[^>]*id="authenticator_secret"', content
    )
    assert secret, content
    secret = secret.group(1)
    assert 'class="totp-qr"' in content
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def _password_step(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.fixture
def person(db):
    return UserFactory(email="secure@example.com")


@pytest.fixture
def mfa_client(client, person):
    _password_step(client, person.email)
    assert int(client.session["_auth_user_id"]) == person.pk
    return client


def test_activating_totp_makes_login_ask_for_the_code(mfa_client, client, person):
    secret = _activate_totp(mfa_client)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    index = mfa_client.get(reverse("mfa_index")).content.decode()
    assert "manage-card" in index

    mfa_client.post(reverse("account_logout"))
    response = _password_step(client, person.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert b"auth-card" in page.content

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert b"errorlist" in wrong.content
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert int(client.session["_auth_user_id"]) == person.pk


def test_a_totp_code_cannot_be_used_twice(mfa_client, client, person):
    secret = _activate_totp(mfa_client)
    code = totp(secret)
    client.post(reverse("account_logout"))
    _password_step(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert int(client.session["_auth_user_id"]) == person.pk

    client.post(reverse("account_logout"))
    _password_step(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


def test_recovery_codes_are_shown_and_each_works_once(mfa_client, client, person):
    _activate_totp(mfa_client)
    page = mfa_client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    codes = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', page.content.decode(), re.S)
    codes = codes.group(1).split()
    assert len(codes) == 10

    client.post(reverse("account_logout"))
    _password_step(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert int(client.session["_auth_user_id"]) == person.pk

    client.post(reverse("account_logout"))
    _password_step(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert int(client.session["_auth_user_id"]) == person.pk


def test_generating_new_recovery_codes_replaces_the_old_ones(mfa_client, person):
    _activate_totp(mfa_client)
    before = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    page = mfa_client.get(reverse("mfa_generate_recovery_codes"))
    assert b"manage-card" in page.content
    mfa_client.post(reverse("mfa_generate_recovery_codes"))
    after = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    assert after.data != before.data


def test_deactivating_totp_turns_the_code_step_off(mfa_client, client, person):
    secret = _activate_totp(mfa_client)
    page = mfa_client.get(reverse("mfa_deactivate_totp"))
    assert b"button-danger" in page.content
    mfa_client.post(reverse("mfa_deactivate_totp"), {"code": totp(secret)})
    assert not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))
    _password_step(client, person.email)
    assert int(client.session["_auth_user_id"]) == person.pk
