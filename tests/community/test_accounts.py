"""Accounts through allauth: sign-up with mandatory verification, login, password reset and
change, e-mail change and login rate limits, all on the site's own templates."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from community.models import User
from tests.community.conftest import link_in
from tests.factories.community import PASSWORD, UserFactory

NEW_PASSWORD = "a-much-longer-passphrase-42"


def _sign_up(client, email="mei.chen@example.com", **extra):
    data = {"full_name": "陈美", "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("account_signup"), data)


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_sign_up_sends_verification_and_the_link_verifies_and_login_then_works(client, mailoutbox):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="mei.chen@example.com")
    assert user.full_name == "陈美"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session

    page = client.get(response["Location"])
    assert b"auth-card" in page.content  # the site's frame, not allauth's bare page

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mei.chen@example.com"]
    assert "Partner Academy" in mailoutbox[0].body
    assert "example.com!" not in mailoutbox[0].body  # the site is named, not Django's placeholder
    assert "register an account on Partner Academy." in mailoutbox[0].body
    assert "on testserver" not in mailoutbox[0].body  # by its name, not the Sites framework's domain
    assert mailoutbox[0].body.rstrip().endswith("\nhttp://testserver/")  # signed off with a link to the site
    confirm_path = link_in(mailoutbox[0], "/accounts/confirm-email/")
    confirm_page = client.get(confirm_path)
    assert confirm_page.status_code == 200
    assert b"mei.chen@example.com" in confirm_page.content
    client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = _login(client, "mei.chen@example.com")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_sign_up_keeps_input_and_explains_a_bad_password(client):
    response = _sign_up(client, password1="short", password2="short")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="mei.chen@example.com"' in content
    assert 'aria-invalid="true"' in content
    assert "errorlist" in content
    assert not User.objects.filter(email="mei.chen@example.com").exists()


@pytest.mark.django_db
def test_unverified_account_cannot_log_in(client, mailoutbox):
    user = UserFactory(email="unverified@example.com", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = _login(client, "unverified@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1  # a fresh verification link is sent instead


@pytest.mark.django_db
def test_wrong_password_shows_a_clear_error_and_keeps_the_address(client):
    UserFactory(email="anna@example.com")
    response = _login(client, "anna@example.com", "wrong-password")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "not correct" in content
    assert 'value="anna@example.com"' in content


@pytest.mark.django_db
def test_login_is_rate_limited_after_repeated_failures(client):
    UserFactory(email="anna@example.com")
    for _ in range(5):
        response = _login(client, "anna@example.com", "wrong-password")
        assert b"Too many failed login attempts" not in response.content
    response = _login(client, "anna@example.com", PASSWORD)  # even the right password is held back
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_e_mail_link(client, mailoutbox):
    user = UserFactory(email="anna@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "anna@example.com"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert b"auth-card" in client.get(response["Location"]).content

    reset_path = link_in(mailoutbox[0], "/accounts/password/reset/key/")
    form_page = client.get(reset_path, follow=True)  # allauth moves the key into the session
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reset_path, follow=True).context["token_fail"]  # single use


@pytest.mark.django_db
def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_change_password"))
    assert b"manage-card" in page.content
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_with_wrong_current_password_is_refused_with_a_field_error(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_e_mail_change_takes_effect_once_the_new_address_is_verified(client, mailoutbox):
    user = UserFactory(email="old@example.com")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "old@example.com"
    page = client.get(reverse("account_email"))
    assert b"new@example.com" in page.content
    assert b'name="action_send"' in page.content  # the pending address can get its link again

    confirm_path = link_in(mailoutbox[-1], "/accounts/confirm-email/")
    client.post(confirm_path)
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.com"
    assert not EmailAddress.objects.filter(email="old@example.com").exists()


@pytest.mark.django_db
def test_an_invalid_confirmation_link_explains_itself(client):
    response = client.get("/accounts/confirm-email/not-a-key/")
    assert response.status_code == 200
    assert "expired or is not valid" in response.content.decode()


@pytest.mark.django_db
def test_logout_page_and_reauthenticate_page_render_in_the_site_frame(client):
    client.force_login(UserFactory())
    assert b"manage-card" in client.get(reverse("account_logout")).content
    assert b"auth-card" in client.get(reverse("account_reauthenticate")).content
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_form_labels_are_tied_to_their_inputs(client):
    content = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">' in content
    assert 'id="id_login"' in content
    assert '<label for="id_password">' in content
    assert 'for="id_remember"' in content
