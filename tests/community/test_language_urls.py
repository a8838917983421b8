"""English pages answer unprefixed, every other language under its prefix; addresses with one
form only (admin, API, accounts) stay unprefixed and follow the cookie as before."""

import pytest
from django.urls import reverse

from tests.factories.community import UserFactory


@pytest.mark.django_db
def test_prefixed_urls_serve_the_site_in_chinese(client):
    for path in ("/zh-hans/", "/zh-hans/certifications/", "/zh-hans/forums/", "/zh-hans/verify/"):
        response = client.get(path)
        assert response.status_code == 200, path
        content = response.content.decode()
        assert 'lang="zh-hans"' in content, path
        assert 'href="/zh-hans/courses/"' in content, path  # the header's links stay in Chinese


@pytest.mark.django_db
def test_unprefixed_urls_stay_english_for_a_visitor_without_a_preference(client):
    for path in ("/", "/certifications/", "/forums/", "/verify/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'lang="en"' in response.content.decode(), path
        assert 'href="/courses/"' in response.content.decode(), path


@pytest.mark.django_db
def test_an_unknown_prefixed_path_is_the_chinese_404(client):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_cookie_sends_an_unprefixed_page_to_its_chinese_address(client):
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/certifications/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/certifications/?page=2"
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_a_signed_in_persons_preference_sends_them_to_the_chinese_address(client):
    client.force_login(UserFactory(preferred_language="zh-hans"))
    response = client.get("/forums/")
    assert response["Location"] == "/zh-hans/forums/"


@pytest.mark.django_db
def test_a_chinese_address_stays_chinese_for_someone_who_prefers_english(client):
    client.force_login(UserFactory(preferred_language="en"))
    response = client.get("/zh-hans/certifications/")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_addresses_with_one_form_stay_unprefixed_and_follow_the_cookie(client):
    client.cookies["django_language"] = "zh-hans"
    login = client.get(reverse("account_login"))
    assert login.status_code == 200
    assert 'lang="zh-hans"' in login.content.decode()
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/zh-hans/api/v1/openapi.json").status_code == 404
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.django_db
def test_the_switcher_moves_between_the_prefixed_and_unprefixed_address(client):
    to_chinese = client.post("/language/", {"language": "zh-hans", "next": "/certifications/"})
    assert to_chinese["Location"] == "/zh-hans/certifications/"
    to_english = client.post("/zh-hans/language/", {"language": "en", "next": "/zh-hans/certifications/"})
    assert to_english["Location"] == "/certifications/"
    # Posted from an English page to the unprefixed address, a Chinese `next` still translates.
    assert client.post("/language/", {"language": "en", "next": "/zh-hans/forums/"})["Location"] == "/forums/"
    assert client.get("/certifications/").status_code == 200  # the cookie now says English


@pytest.mark.django_db
def test_a_preference_for_a_language_no_longer_offered_is_answered_in_english(client):
    user = UserFactory()
    type(user).objects.filter(pk=user.pk).update(preferred_language="fr")
    client.force_login(user)
    response = client.get("/certifications/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
