"""Admin avatars never ask Gravatar: the person's upload, or their initials drawn inline."""

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url
from wagtail.users.models import UserProfile

from community.avatars import initials
from tests.factories.community import UserFactory


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Anna Schmidt", "AS"), ("Maria del Carmen García", "MG"), ("王伟", "王"), ("li.na@example.com", "L"), ("", "?")],
)
def test_initials(name, letters):
    assert initials(name) == letters


@pytest.mark.django_db
def test_admin_avatar_is_the_initials_without_gravatar():
    url = avatar_url(UserFactory(full_name="Anna Schmidt"), 50)
    assert url.startswith("data:image/svg+xml,")
    assert "gravatar" not in url
    assert ">AS</text>" in unquote(url)
    assert ">&lt;</text>" in unquote(avatar_url(UserFactory(full_name="<b>"), 50))  # markup stays text


@pytest.mark.django_db
def test_admin_avatar_is_the_upload_when_there_is_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(full_name="Anna Schmidt")
    profile = UserProfile.get_for_user(user)
    profile.avatar = SimpleUploadedFile("anna.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    profile.save()
    user.refresh_from_db()
    assert "anna" in avatar_url(user, 50) and not avatar_url(user, 50).startswith("data:")
