"""Trying one view or action as every role: `Case` says how to call it and how to tell that the
person got what it gives; `outcomes` tries it as each person, rolling back what they changed so
that every role meets the same data."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.test import Client

from tests.factories.roles import ROLES


@dataclass
class Case:
    method: str
    url: Callable[[dict], str]
    granted: Callable[[dict, object], bool]
    allowed: set[str]
    data: Callable[[dict], dict] | None = None


def shows(marker: Callable[[dict], str]):
    """Granted when the page answers 200 with the marker in it."""
    return lambda w, response: response.status_code == 200 and marker(w) in response.content.decode()


def did(effect: Callable[[dict], bool]):
    """Granted when the effect is there afterwards, whatever the answer."""
    return lambda w, response: effect(w)


def _try(world: dict, case: Case, person) -> tuple[bool, int]:
    client = Client()
    if person is not None:
        client.force_login(person)
    with transaction.atomic():
        call = getattr(client, case.method)
        response = call(case.url(world), case.data(world)) if case.data else call(case.url(world))
        granted = case.granted(world, response)
        transaction.set_rollback(True)
    return granted, response.status_code


def assert_exactly_the_allowed_roles(world: dict, case: Case) -> None:
    """Every role in `case.allowed`, and no other, gets what the case gives; nobody meets an error
    page (5xx)."""
    outcomes = {role: _try(world, case, world["people"][role]) for role in ROLES}
    assert {role: granted for role, (granted, _status) in outcomes.items()} == {
        role: role in case.allowed for role in ROLES
    }
    assert all(status < 500 for _granted, status in outcomes.values()), outcomes
