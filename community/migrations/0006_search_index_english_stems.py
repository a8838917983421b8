"""SQLite's full-text table (made by Wagtail's search app) tokenised again with FTS5's porter
stemmer, so `backup` finds `backups`; the rows already indexed are copied back in. PostgreSQL
stems through its `english` configuration (WAGTAILSEARCH_BACKENDS) and needs nothing here."""

from django.db import migrations


def _tokenised_with(tokenize: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        fts = f"{entries}_fts"
        if connection.vendor != "sqlite" or fts not in connection.introspection.table_names():
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {fts}")
            cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title, tokenize='{tokenize}')")
            cursor.execute(
                f"INSERT INTO {fts}(rowid, title, body, autocomplete) SELECT id, title, body, autocomplete FROM {entries}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_user_handle"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(_tokenised_with("porter unicode61"), _tokenised_with("unicode61"))]
