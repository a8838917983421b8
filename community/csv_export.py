"""CSV exports of the vendor's lists: streamed a few hundred rows per query batch, so a long list
never sits in memory, with a byte-order mark so spreadsheets read UTF-8, and every cell safe to
open (customers and partners type the names)."""

import csv
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def csv_cell(value) -> str:
    """The value as text, never read as a formula by a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(*, name: str, columns: Iterable[str], rows: QuerySet, row: Callable) -> StreamingHttpResponse:
    """A streamed download `<name>-<today>.csv`: the header, then `row(item)` for each item."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(columns)
        for item in rows.iterator(chunk_size=500):
            yield writer.writerow([csv_cell(v) for v in row(item)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def iso(moment) -> str:
    return moment.isoformat() if moment else ""


def list_queries(request) -> tuple[str, str]:
    """The list's query string without its page (for pagination links) and the same asking for
    the CSV download."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    download = query.copy()
    download["format"] = "csv"
    return query.urlencode(), download.urlencode()
