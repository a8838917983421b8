import pytest
from django.contrib.auth.models import Group, Permission

from community import services as community_services
from tests.factories.community import MembershipFactory, UserFactory, VendorFactory
from tests.factories.forums import CategoryFactory, TopicFactory


@pytest.fixture(autouse=True)
def _forum_settings(settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    settings.FORUMS_RATE_LIMIT_POSTS = 0


@pytest.fixture
def moderator(db):
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(content_type__app_label="forums", codename="moderate_forums"))
    user = UserFactory(full_name="Mona Moderator")
    user.groups.add(group)
    return user


@pytest.fixture
def vendor(db):
    return VendorFactory()


@pytest.fixture
def vendor_staff(vendor):
    user = UserFactory(full_name="Victor Vendor")
    community_services.vendor_staff_add(vendor=vendor, user=user)
    return user


@pytest.fixture
def asker(db):
    return MembershipFactory(user__full_name="Alice Asker").user


@pytest.fixture
def answerer(db):
    return MembershipFactory(user__full_name="Bob Answerer").user


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def topic(category, asker):
    return TopicFactory(category=category, author=asker)
