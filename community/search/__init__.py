"""The site's search backend (WAGTAILSEARCH_BACKENDS): Wagtail's database backend, SQLite FTS5 or
PostgreSQL full-text, with Chinese segmented into words on the way into the index and in every
query (segmenting.py), and English stemmed by the databases themselves on both sides of the
match: PostgreSQL's `english` configuration, FTS5's porter tokenizer on SQLite
(community/migrations/0006_search_index_english_stems.py). Text indexed before needs
`manage.py update_index` once."""

from django.db import connection
from modelsearch.backends import database


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend's module)
    """The backend for this database. The vendors' modules are imported only for their own
    database, as each reads models that exist only there. Without full-text search (SQLite built
    without FTS5) Wagtail falls back to substring matches, which need no segmenting."""
    if connection.vendor == "postgresql":
        from community.search.postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        from community.search.sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    return backend
