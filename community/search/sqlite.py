"""Wagtail's SQLite FTS5 backend, segmenting Chinese and ranking by BM25 alone."""

from django.db.models import F
from modelsearch.backends.database.sqlite import sqlite

from community.search.segmenting import SegmentingBackend, SegmentingIndex


class SQLiteIndex(SegmentingIndex, sqlite.SQLiteIndex):
    pass


class SQLiteSearchQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
    def get_index_vectors(self):
        """Rank by FTS5's BM25 over the whole entry alone. Wagtail adds the same BM25 again
        scaled by how much shorter than average the title is, whether or not the title matches,
        which put a passing mention under a short title above a topic about the very word. The
        title still counts twice, as it fills both the title and the autocomplete columns."""
        return [(F("index_entry__body"), 1.0)]


class SQLiteSearchBackend(SegmentingBackend, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    query_compiler_class = SQLiteSearchQueryCompiler
