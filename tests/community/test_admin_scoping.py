"""The admin's one vendor-scoped permission policy, asked directly: for each of its options (and
as the Products snippets register it), who may take which action at all, on which rows, and
which rows a listing gets. The registered delivery-rule and enrolment policies are asked the same
way in their apps' tests."""

import pytest
from wagtail.permissions import policy_registry

from community.admin_scoping import VendorScopedPolicy
from community.models import Product, User
from tests.factories.community import ProductFactory, VendorFactory
from tests.policies import ACTIONS, BOTH, EVERY, WRITE, assert_policy, people_for_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendors():
    return {"own": VendorFactory(name="Own Vendor"), "other": VendorFactory(name="Other Vendor")}


@pytest.fixture
def people(vendors):
    own, other = vendors["own"], vendors["other"]
    return people_for_policies(vendor=own, other_vendor=other, outsider_permissions=["view_product"])


@pytest.fixture
def products(vendors):
    return {key: ProductFactory(vendor=vendor, name=f"{key} product") for key, vendor in vendors.items()}


STAFF = {
    "superuser": (EVERY, BOTH),
    "author": (EVERY, {"own"}),
    "manager": (EVERY, {"own"}),
    "other vendor's author": (EVERY, {"other"}),
    "other vendor's manager": (EVERY, {"other"}),
}
# The vendor groups hold add, change and view of products; only superusers delete.
MODEL_PERMISSIONS = {role: (WRITE, owned) for role, (_allowed, owned) in STAFF.items()} | {
    "superuser": (EVERY, BOTH),
    "permitted outsider": ({"view"}, set()),
}
WORKING_FOR_A_VENDOR = ("superuser", "author", "manager", "other vendor's author", "other vendor's manager")

OPTIONS = {
    "vendor staff": ({}, STAFF),
    "managers only": (
        {"managers_only": True},
        {"superuser": (EVERY, BOTH), "manager": (EVERY, {"own"}), "other vendor's manager": (EVERY, {"other"})},
    ),
    "only some actions, superusers too": (
        {"actions": ("add", "change", "view")},
        {role: (WRITE, owned) for role, (_allowed, owned) in STAFF.items()},
    ),
    "model permissions": ({"model_permissions": True}, MODEL_PERMISSIONS),
    "rows left to the view": (
        {"vendor_path": None, "actions": ("view",), "model_permissions": True},
        {role: ({"view"}, BOTH) for role in (*WORKING_FOR_A_VENDOR, "permitted outsider")},
    ),
}


@pytest.mark.parametrize("option", OPTIONS)
def test_each_option_allows_exactly_its_people_their_actions_on_their_vendors_rows(people, products, option):
    options, expected = OPTIONS[option]
    options = {"vendor_path": "vendor", **options}
    policy = VendorScopedPolicy(Product, **options)
    assert_policy(policy, people, products, expected)


def test_products_take_model_permissions_on_the_staffs_own_vendors(people, products):
    assert_policy(policy_registry.get_by_type(Product), people, products, MODEL_PERMISSIONS)


def test_a_listing_reads_the_persons_vendors_once(people, vendors, count_queries):
    rows = ProductFactory.create_batch(5, vendor=vendors["own"])
    user = User.objects.get(pk=people["manager"].pk)
    policy = VendorScopedPolicy(Product, "vendor")
    with count_queries() as queries:
        for _ in range(3):
            assert all(policy.user_has_permission_for_instance(user, "change", row) for row in rows)
            assert policy.user_has_any_permission(user, ACTIONS)
    queries.assert_at_most(1)
