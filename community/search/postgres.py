"""Wagtail's PostgreSQL full-text backend, segmenting Chinese."""

from modelsearch.backends.database.postgres import postgres

from community.search.segmenting import SegmentingBackend, SegmentingIndex


class PostgresIndex(SegmentingIndex, postgres.PostgresIndex):
    pass


class PostgresSearchBackend(SegmentingBackend, postgres.PostgresSearchBackend):
    index_class = PostgresIndex
