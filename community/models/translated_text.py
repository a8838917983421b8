"""Text of the site's own records (forum categories, the footer) in the site's other languages.

Pages are translated the Wagtail way, one page per locale sharing a translation key. A record
that other records point at (a forum category holds its topics) stays one row in every language,
so its translatable text keeps the other languages beside the original, read without a query."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def other_languages() -> list[tuple[str, str]]:
    """The site's languages other than the default, in which records carry translations."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslatedTextMixin(models.Model):
    """`translations` is `{"zh-hans": {"name": "…"}}` for the fields named in `translated_fields`;
    `translated(field)` is the text in the active language, else the original."""

    translated_fields: ClassVar[tuple[str, ...]] = ()
    translations = models.JSONField(_("translations"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        if field not in self.translated_fields:
            raise ValueError(f"{type(self).__name__}.{field} is not translatable")
        language = language or translation.get_language()
        return (self.translations or {}).get(language, {}).get(field) or getattr(self, field)
