"""Every string the forums show has a Simplified Chinese translation that keeps its placeholders."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SCOPE = ("forums/", "templates/forums/")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _forum_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    return [
        entry
        for entry in catalogue
        if not entry.obsolete and any(path.startswith(SCOPE) for path, _line in entry.occurrences)
    ]


def test_every_forum_string_is_translated_and_not_fuzzy():
    entries = _forum_entries()
    assert len(entries) > 200  # the scope still matches the catalogue's paths
    assert [e.msgid for e in entries if not e.translated()] == []
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


def test_forum_translations_keep_their_placeholders():
    for entry in _forum_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, entry.msgid
