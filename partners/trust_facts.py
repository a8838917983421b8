"""Facts about partners that other apps hold, for the trust profile: an app to the right of
partners (forums) registers a function here instead of partners importing it."""

from collections.abc import Callable

# name -> function(organisation_ids) -> {organisation_id: count}
_FACTS: dict[str, Callable[[list[int]], dict[int, int]]] = {}


def register_fact(name: str, function: Callable[[list[int]], dict[int, int]]) -> None:
    _FACTS[name] = function


def facts_for(organisation_ids: list[int]) -> dict[str, dict[int, int]]:
    """Each registered fact for these organisations (one query per fact)."""
    return {name: function(organisation_ids) for name, function in _FACTS.items()}
