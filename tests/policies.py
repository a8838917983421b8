"""Asking a permission policy directly, as each kind of person the vendor-scoped admin knows, for
every action: model-wide, per row and as a listing (`community.admin_scoping.VendorScopedPolicy`)."""

from django.contrib.auth.models import Permission

from community import services as community_services
from community.models import User, Vendor
from tests.factories.community import UserFactory

ACTIONS = ("add", "change", "delete", "view")
EVERY = frozenset(ACTIONS)
WRITE = frozenset({"add", "change", "view"})
BOTH = frozenset({"own", "other"})
NOTHING = (frozenset(), frozenset())


def _staff(vendor: Vendor, *, manager: bool = False, **fields) -> User:
    user = UserFactory(is_staff=True, **fields)
    community_services.vendor_staff_add(vendor=vendor, user=user, manager=manager)
    return user


def people_for_policies(*, vendor: Vendor, other_vendor: Vendor, outsider_permissions=()) -> dict[str, User]:
    """Each role once; the "permitted outsider" holds `outsider_permissions` (codenames) without
    working for any vendor."""
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(*Permission.objects.filter(codename__in=outsider_permissions))
    return {
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "inactive superuser": UserFactory(is_staff=True, is_superuser=True, is_active=False),
        "author": _staff(vendor),
        "manager": _staff(vendor, manager=True),
        "inactive manager": _staff(vendor, manager=True, is_active=False),
        "other vendor's author": _staff(other_vendor),
        "other vendor's manager": _staff(other_vendor, manager=True),
        "permitted outsider": outsider,
        "plain user": UserFactory(),
    }


def assert_policy(policy, people: dict[str, User], rows: dict[str, object], expected: dict) -> None:
    """`expected[role]` is (the actions the person may take at all, the keys of `rows` they may
    take them on); a role left out may do nothing. Every other combination must be refused."""
    for role, person in people.items():
        allowed, owned = expected.get(role, NOTHING)
        user = User.objects.get(pk=person.pk)  # nothing cached from an earlier question
        for action in ACTIONS:
            assert policy.user_has_permission(user, action) == (action in allowed), (role, action)
            for key, row in rows.items():
                may = policy.user_has_permission_for_instance(user, action, row)
                assert may == (action in allowed and key in owned), (role, action, key)
            listing = policy.instances_user_has_permission_for(user, action)
            listed = {key for key, row in rows.items() if row in listing}
            assert listed == (owned if action in allowed else set()), (role, action)
        assert policy.user_has_any_permission(user, ACTIONS) == bool(allowed), role
        for key, row in rows.items():
            may = policy.user_has_any_permission_for_instance(user, ACTIONS, row)
            assert may == (bool(allowed) and key in owned), (role, key)
        listing = policy.instances_user_has_any_permission_for(user, ACTIONS)
        listed = {key for key, row in rows.items() if row in listing}
        assert listed == (owned if allowed else set()), role
