"""Every string of certifications, certificates, verification and delivery rights has a Simplified
Chinese translation that keeps its placeholders."""

from tests.translations import catalogue_entries, placeholders_lost, untranslated_or_fuzzy

SCOPE = ("certifications/", "templates/certifications/")


def test_every_certifications_string_is_translated_and_not_fuzzy():
    entries = catalogue_entries(SCOPE)
    assert len(entries) > 300  # the scope still matches the catalogue's paths
    assert untranslated_or_fuzzy(entries) == []


def test_certifications_translations_keep_their_placeholders():
    assert placeholders_lost(catalogue_entries(SCOPE)) == []
