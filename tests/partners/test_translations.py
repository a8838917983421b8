"""Every string the marketplace and the directory show has a Simplified Chinese translation that
keeps its placeholders."""

from tests.translations import catalogue_entries, placeholders_lost, untranslated_or_fuzzy

SCOPE = ("partners/", "templates/partners/")


def test_every_partners_string_is_translated_and_not_fuzzy():
    entries = catalogue_entries(SCOPE)
    assert len(entries) > 200  # the scope still matches the catalogue's paths
    assert untranslated_or_fuzzy(entries) == []


def test_partners_translations_keep_their_placeholders():
    assert placeholders_lost(catalogue_entries(SCOPE)) == []
