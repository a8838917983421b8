"""Admin forms that edit a record's translated text (`TranslatedTextMixin`) as one field per
language beside the original, instead of its JSON."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from community.models.translated_text import other_languages


def translation_field_name(field: str, language: str) -> str:
    return f"{field}__{language.replace('-', '_')}"


def translations_form(model, base=WagtailAdminModelForm):
    """A form class for `model` with a field per translated field and other language, which
    fill `instance.translations` on save (blank: shown in the original language)."""
    declared = {}
    for field in model.translated_fields:
        original = model._meta.get_field(field)
        widget = forms.Textarea(attrs={"rows": 3}) if isinstance(original, models.TextField) else None
        for language, name in other_languages():
            declared[translation_field_name(field, language)] = forms.CharField(
                label=_("%(field)s (%(language)s)") % {"field": original.verbose_name, "language": name},
                required=False,
                max_length=getattr(original, "max_length", None),
                widget=widget,
            )

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        for language, _name in other_languages():
            stored = (self.instance.translations or {}).get(language, {})
            for field in model.translated_fields:
                self.initial.setdefault(translation_field_name(field, language), stored.get(field, ""))

    def save(self, commit=True):
        translations = {}
        for language, _name in other_languages():
            texts = {
                field: self.cleaned_data[translation_field_name(field, language)].strip()
                for field in model.translated_fields
            }
            texts = {field: text for field, text in texts.items() if text}
            if texts:
                translations[language] = texts
        self.instance.translations = translations
        return base.save(self, commit=commit)

    return type(f"{model.__name__}TranslationsForm", (base,), {**declared, "__init__": __init__, "save": save})


def translations_panel(model) -> MultiFieldPanel:
    """The panel of the translation fields `translations_form` adds."""
    return MultiFieldPanel(
        [
            FieldPanel(translation_field_name(field, language))
            for language, _name in other_languages()
            for field in model.translated_fields
        ],
        heading=_("Translations"),
    )
