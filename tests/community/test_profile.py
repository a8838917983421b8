"""The profile form and the language switcher."""

from datetime import UTC, datetime

import pytest
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Membership, User
from tests.factories.community import UserFactory


@pytest.mark.django_db
def test_profile_form_saves(client, user):
    client.force_login(user)
    response = client.post(
        reverse("community:profile"),
        {
            "full_name": "Алексей Смирнов",
            "certificate_name": "Aleksei Smirnov",
            "preferred_language": "en",
            "time_zone": "Europe/Riga",
            "public_profile": "on",
        },
    )
    assert response["Location"] == reverse("community:profile")
    user.refresh_from_db()
    assert (user.full_name, user.certificate_name, user.time_zone, user.public_profile) == (
        "Алексей Смирнов",
        "Aleksei Smirnov",
        "Europe/Riga",
        True,
    )
    assert user.printed_name == "Aleksei Smirnov"


@pytest.mark.django_db
def test_a_profile_update_that_fails_while_saving_leaves_the_profile_unchanged(user):
    def fail(**kwargs):
        raise RuntimeError("receiver failed")

    post_save.connect(fail, sender=User, dispatch_uid="test.profile_save_fails")
    try:
        with pytest.raises(RuntimeError):
            services.user_update_profile(user=user, full_name="Changed Name", time_zone="Europe/Riga")
    finally:
        post_save.disconnect(dispatch_uid="test.profile_save_fails", sender=User)
    stored = User.objects.get(pk=user.pk)
    assert (stored.full_name, stored.time_zone) != ("Changed Name", "Europe/Riga")


@pytest.mark.django_db
def test_profile_form_keeps_input_and_explains_errors(client, user):
    client.force_login(user)
    response = client.post(
        reverse("community:profile"),
        {"full_name": "", "certificate_name": "Kept", "preferred_language": "en", "time_zone": "Nowhere/City"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Kept"' in content
    assert content.count('class="errorlist"') >= 2
    assert User.objects.get(pk=user.pk).full_name == user.full_name
    assert f">{user.full_name}<" in content  # the header still shows the saved name


@pytest.mark.django_db
def test_profile_needs_sign_in(client):
    assert client.get(reverse("community:profile"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_language_switcher_stores_the_preference_and_pages_render_in_chinese(client, user):
    client.force_login(user)
    response = client.post(reverse("community:set_language"), {"language": "zh-hans", "next": "/organisation/"})
    assert response["Location"] == "/zh-hans/organisation/"
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"

    fresh = client.__class__()  # a new browser: no language cookie, the stored preference decides
    fresh.force_login(user)
    response = fresh.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/organisation/"
    page = fresh.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'lang="zh-hans"' in content
    assert "我的组织" in content


@pytest.mark.django_db
def test_language_switcher_for_visitors_only_sets_the_cookie(client):
    response = client.post(reverse("community:set_language"), {"language": "zh-hans", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    page = client.get(reverse("account_login"))
    assert 'lang="zh-hans"' in page.content.decode()
    assert "登录" in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client, user):
    client.force_login(user)
    client.post(reverse("community:set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.django_db
def test_pages_show_times_in_the_signed_in_persons_time_zone(client, organisation, partner_admin):
    Membership.objects.filter(user=partner_admin).update(joined_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    client.force_login(partner_admin)
    url = reverse("community:organisation")
    assert "1 Mar 2026" in client.get(url).content.decode()
    partner_admin.time_zone = "Asia/Shanghai"  # 04:30 the next morning there
    partner_admin.save()
    assert "2 Mar 2026" in client.get(url).content.decode()
    client.logout()
    client.force_login(UserFactory())
    client.get(url)
    assert timezone.get_current_timezone_name() == "UTC"  # not left behind for the next person
