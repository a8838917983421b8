"""The question pool chooser lists only the pools of the person's own vendors."""

import pytest

from community import services
from tests.factories.certifications import QuestionPoolFactory
from tests.factories.community import UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["", "results/", "results/?q=pool"])
def test_question_pool_chooser_lists_only_the_staff_members_vendors(client, path):
    own, rival = VendorFactory(), VendorFactory()
    staff = UserFactory(is_staff=True)
    services.vendor_staff_add(vendor=own, user=staff)
    client.force_login(staff)
    QuestionPoolFactory(vendor=own, name="Own pool")
    QuestionPoolFactory(vendor=rival, name="Rival pool")
    response = client.get(f"/admin/snippets/choose/certifications/questionpool/{path}")
    assert response.status_code == 200
    assert b"Own pool" in response.content
    assert b"Rival pool" not in response.content
