"""The zh_Hans catalogue is complete for the site frame, accounts and organisation pages. Other
apps add strings while they work, so only entries used solely by these files are checked."""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SCOPE = (
    "community/",
    "templates/base.html",
    "templates/includes/",
    "templates/404.html",
    "templates/500.html",
    "templates/blocks/",
    "templates/community/",
    "templates/account/",
    "templates/mfa/",
    "templates/socialaccount/",
    "templates/allauth/",
)


def _entries_only_in_scope():
    catalogue = polib.pofile(str(CATALOGUE))
    return [
        entry
        for entry in catalogue
        if not entry.obsolete and entry.occurrences and all(path.startswith(SCOPE) for path, _line in entry.occurrences)
    ]


def test_zh_hans_entries_used_only_by_community_and_site_templates_are_translated_and_not_fuzzy():
    entries = _entries_only_in_scope()
    assert len(entries) > 100  # the scope filter still matches the catalogue's paths
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, f"empty msgstr: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_zh_hans_entries_used_only_by_community_and_site_templates_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    for entry in _entries_only_in_scope():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), entry.msgid
