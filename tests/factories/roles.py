"""One person in each role the platform knows, for the permission tests that try every view and
action as each of them (see the role table in README.md)."""

from community import services as community_services
from community.models import User, Vendor
from forums import services as forum_services
from tests.factories.community import MembershipFactory, UserFactory

ROLES = (
    "anonymous",
    "engineer",
    "partner_admin",
    "vendor_author",
    "programme_manager",
    "other_programme_manager",
    "moderator",
    "superuser",
)
PROGRAMME_MANAGERS = {"programme_manager", "superuser"}
VENDOR_STAFF = {"vendor_author", "programme_manager", "superuser"}


def people_in_every_role(*, vendor: Vendor, other_vendor: Vendor) -> dict[str, User | None]:
    """`vendor`'s author and programme manager, a programme manager of `other_vendor`, partner
    people, a forum moderator and a site administrator; None for the anonymous visitor."""
    author = UserFactory(full_name="Vendor Author", is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=author)
    manager = UserFactory(full_name="Programme Manager", is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=manager, manager=True)
    other_manager = UserFactory(full_name="Other Programme Manager", is_staff=True)
    community_services.vendor_staff_add(vendor=other_vendor, user=other_manager, manager=True)
    moderator = UserFactory(full_name="Forum Moderator")
    moderator.groups.add(forum_services.moderators_group_ensure())
    return {
        "anonymous": None,
        "engineer": MembershipFactory(role="engineer").user,
        "partner_admin": MembershipFactory(role="admin").user,
        "vendor_author": author,
        "programme_manager": manager,
        "other_programme_manager": other_manager,
        "moderator": moderator,
        "superuser": UserFactory(full_name="Site Administrator", is_staff=True, is_superuser=True),
    }
