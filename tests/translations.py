"""Checks of the Simplified Chinese catalogue for the strings one part of the site shows."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue_entries(scope: tuple[str, ...]) -> list[polib.POEntry]:
    """The catalogue's entries used by files under any of the `scope` paths."""
    return [
        entry
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete and any(path.startswith(scope) for path, _line in entry.occurrences)
    ]


def untranslated_or_fuzzy(entries: list[polib.POEntry]) -> list[str]:
    return [e.msgid for e in entries if not e.translated() or "fuzzy" in e.flags]


def placeholders_lost(entries: list[polib.POEntry]) -> list[str]:
    """Entries whose translation drops or invents a `%(name)s` placeholder."""
    lost = []
    for entry in entries:
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if any(sorted(set(PLACEHOLDER.findall(text))) != wanted for text in translations):
            lost.append(entry.msgid)
    return lost
