from django.db import migrations


def create_locale(apps, schema_editor):
    """The locale of the Simplified Chinese content (English, the default, exists from Wagtail's own
    migrations), so editors can translate pages into it from the start."""
    apps.get_model("wagtailcore.Locale").objects.get_or_create(language_code="zh-hans")


def remove_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    if not Page.objects.filter(locale__language_code="zh-hans").exists():
        Locale.objects.filter(language_code="zh-hans").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_search_index_english_stems"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locale, remove_locale)]
