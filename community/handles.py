"""Handles: the short name a person is mentioned by in the forums (@handle). Unique and stable:
derived once from the full name (transliterated, so 王伟 becomes wangwei) and numbered when
taken, then never recomputed, so a name change never redirects earlier mentions."""

import re
from collections.abc import Callable

from anyascii import anyascii

HANDLE_CHARS = "a-z0-9_"
HANDLE_PATTERN = rf"[{HANDLE_CHARS}]{{3,30}}"
HANDLE_MAX_LENGTH = 30
# Room for a number when the name's handle is taken (wangwei, wangwei2, …, wangwei12345).
_BASE_MAX_LENGTH = HANDLE_MAX_LENGTH - 6


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", anyascii(text or "").lower()).strip("_")[:_BASE_MAX_LENGTH].strip("_")


def handle_base(*, full_name: str, email: str) -> str:
    """The handle a name asks for: the full name, else the e-mail's local part, else "member"."""
    for text in (full_name, (email or "").split("@")[0]):
        base = _slug(text)
        if len(base) >= 3:
            return base
    return "member"


def handle_first_free(*, base: str, taken: Callable[[str], bool]) -> str:
    """`base` if it is free, else `base` with the lowest number from 2 that is."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        candidate = f"{base}{number}"
    return candidate
