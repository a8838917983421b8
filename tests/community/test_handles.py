import pytest

from community.handles import handle_base, handle_first_free
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


def test_handles_come_from_names_in_any_script_or_else_the_address():
    assert handle_base(full_name="Anna-Lena Schmidt", email="a@example.com") == "anna_lena_schmidt"
    assert handle_base(full_name="王伟", email="w@example.com") == "wangwei"
    assert handle_base(full_name="Ян", email="ivan.petrov@example.com") == "yan"
    assert handle_base(full_name="", email="jo@example.com") == "member"
    assert handle_first_free(base="wangwei", taken={"wangwei", "wangwei2"}.__contains__) == "wangwei3"


def test_people_of_the_same_name_get_distinct_handles_that_never_change():
    first = UserFactory(full_name="Wang Wei")
    second = UserFactory(full_name="wang wei")
    assert (first.handle, second.handle) == ("wang_wei", "wang_wei2")
    first.full_name = "Wang Wei-Ming"
    first.save()
    first.refresh_from_db()
    assert first.handle == "wang_wei"
