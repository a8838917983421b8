"""Pages of a list endpoint of the API, in the shape every list answers with:
`{count, page, pages, next, previous, results}`, and a 404 `PageNotFound` past the last page."""

import math

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="The page, from 1; past the last page is a 404.")


def page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginated(request: HttpRequest, rows, *, page: int, size: int, out):
    """Page `page` of the queryset `rows`, each row through `out`. Two queries: the count and the page."""
    count = rows.count()
    pages = max(1, math.ceil(count / size))
    if page > pages:
        message = _("There is no page %(page)d; pages run from 1 to %(pages)d.") % {"page": page, "pages": pages}
        return Status(404, {"error": "not_found", "message": message})
    start = (page - 1) * size
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "next": page_url(request, page + 1) if page < pages else None,
        "previous": page_url(request, page - 1) if page > 1 else None,
        "results": [out(row) for row in rows[start : start + size]],
    }
