"""Single sign-on through a vendor's OpenID Connect or SAML identity provider, configured from
settings: the JSON lists SSO_OIDC_PROVIDERS and SSO_SAML_PROVIDERS become allauth's APPS."""

import json

import pytest
from django.urls import reverse

from tests.factories.community import UserFactory

OIDC_PROVIDERS = json.dumps(
    [
        {
            "provider_id": "nimbus",
            "name": "Nimbus Cloud SSO",
            "client_id": "partner-academy",
            "secret": "not-a-real-secret",
            "settings": {"server_url": "https://id.example/.well-known/openid-configuration"},
        }
    ]
)
SAML_PROVIDERS = json.dumps(
    [
        {
            "provider_id": "https://idp.arclight.example/metadata",
            "name": "Arclight Networks SAML",
            "client_id": "arclight",
            "settings": {
                "idp": {
                    "entity_id": "https://idp.arclight.example/metadata",
                    "sso_url": "https://idp.arclight.example/sso",
                    "slo_url": "https://idp.arclight.example/slo",
                    "x509cert": "MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBmlkcC1jYTAeFw0yNjAx",
                },
                "sp": {"entity_id": "https://academy.example/saml"},
            },
        }
    ]
)


@pytest.fixture
def sso_settings(settings):
    """The same shape community/settings/base.py builds from the two environment variables."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": json.loads(OIDC_PROVIDERS), "OAUTH_PKCE_ENABLED": True},
        "saml": {"APPS": json.loads(SAML_PROVIDERS)},
    }
    return settings


@pytest.mark.django_db
def test_without_providers_the_login_page_has_no_sso_buttons(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}, "saml": {"APPS": []}}
    content = client.get(reverse("account_login")).content.decode()
    assert "provider-button" not in content


@pytest.mark.django_db
def test_without_providers_the_connections_page_says_so(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}, "saml": {"APPS": []}}
    client.force_login(UserFactory())
    content = client.get(reverse("socialaccount_connections")).content.decode()
    assert "No single sign-on provider is set up" in content


@pytest.mark.django_db
def test_oidc_provider_from_settings_shows_a_button_whose_login_url_resolves(client, sso_settings):
    content = client.get(reverse("account_login")).content.decode()
    assert "Continue with Nimbus Cloud SSO" in content
    href = "/accounts/oidc/nimbus/login/?process=login"
    assert f'href="{href}"' in content
    start = client.get(href)
    assert start.status_code == 200  # the confirmation step before leaving for the identity provider
    assert "Nimbus Cloud SSO" in start.content.decode()
    assert b"auth-card" in start.content


@pytest.mark.django_db
def test_saml_provider_from_settings_shows_a_button_whose_login_url_resolves(client, sso_settings):
    content = client.get(reverse("account_login")).content.decode()
    assert "Continue with Arclight Networks SAML" in content
    href = "/accounts/saml/arclight/login/?process=login"
    assert f'href="{href}"' in content
    start = client.get(href)
    assert start.status_code == 200  # the confirmation step before leaving for the identity provider
    assert "Arclight Networks SAML" in start.content.decode()


@pytest.mark.django_db
def test_sso_providers_are_offered_on_the_connections_page(client, sso_settings):
    client.force_login(UserFactory())
    page = client.get(reverse("socialaccount_connections"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "manage-card" in content
    assert "/accounts/oidc/nimbus/login/?process=connect" in content


@pytest.mark.django_db
def test_a_person_signing_in_by_sso_gets_their_full_name_from_the_identity_provider(rf):
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    from community.adapters import SocialAccountAdapter
    from community.models import User

    sociallogin = SocialLogin(user=User(), account=SocialAccount(provider="nimbus", uid="42"))
    data = {"email": "kenji@partner.example", "first_name": "Kenji", "last_name": "Sato"}
    user = SocialAccountAdapter().populate_user(rf.get("/"), sociallogin, data)
    assert (user.email, user.full_name) == ("kenji@partner.example", "Kenji Sato")

    data = {"email": "mei@partner.example", "name": "陈美"}
    user = SocialAccountAdapter().populate_user(rf.get("/"), SocialLogin(user=User(), account=SocialAccount()), data)
    assert user.full_name == "陈美"


@pytest.mark.django_db
def test_a_connected_provider_is_listed_and_can_be_disconnected(client, sso_settings):
    from allauth.socialaccount.models import SocialAccount

    person = UserFactory()
    account = SocialAccount.objects.create(user=person, provider="nimbus", uid="sub-42", extra_data={})
    client.force_login(person)
    content = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Connected accounts" in content
    assert f'value="{account.pk}"' in content
    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.filter(pk=account.pk).exists()  # the password still signs them in
