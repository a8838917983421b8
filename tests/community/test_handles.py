import pytest
from django.db import IntegrityError

from community.handles import handle_base, handle_first_free
from community.models import users
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


def test_a_handle_taken_between_look_up_and_insert_gives_the_next_one_not_an_error(monkeypatch):
    UserFactory(full_name="Wang Wei")
    real = users.handle_first_free
    looks = []

    def stale_then_real(*, base, taken):
        # The first look sees the table as it was before the other sign-up committed.
        looks.append(base)
        return base if len(looks) == 1 else real(base=base, taken=taken)

    monkeypatch.setattr(users, "handle_first_free", stale_then_real)
    second = UserFactory(full_name="Wang Wei")
    assert second.handle == "wang_wei2"
    assert len(looks) == 2


def test_a_clash_on_another_field_is_not_taken_for_a_handle_clash():
    UserFactory(email="same@example.com")
    with pytest.raises(IntegrityError):
        UserFactory(email="same@example.com", full_name="Someone Else")
