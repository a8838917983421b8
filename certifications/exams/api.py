"""`GET /api/v1/attempts`: a vendor's exam attempts for its own systems (a CRM, a reporting
store), with an API token of scope `read_attempts` (`community.api_tokens.require_token`).
A django-ninja router that `partners.api` mounts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from certifications.exams import selectors
from community.api_errors import TOKEN_ERRORS, InvalidRequestOut, PageNotFound
from community.api_pagination import PageQuery, paginated
from community.api_tokens import Scope, require_token

router = Router(tags=["exam attempts"])

PAGE_SIZE = 100


class AttemptFilters(PageQuery):
    since: date | None = Field(None, description="Only attempts started on or after this day (YYYY-MM-DD).")


class AttemptOut(Schema):
    id: str = Field(description="The attempt's stable id (a UUID).")
    certification: str
    candidate_name: str
    candidate_email: str
    status: Literal["in_progress", "graded"]
    started_at: datetime
    submitted_at: datetime | None
    score_percent: Decimal | None
    pass_mark_percent: int
    passed: bool | None


class AttemptsPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[AttemptOut]


def _attempt_out(attempt) -> dict:
    return {
        "id": str(attempt.public_id),
        "certification": attempt.exam.certification.title,
        "candidate_name": attempt.user.full_name,
        "candidate_email": attempt.user.email,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score_percent": attempt.score_percent,
        "pass_mark_percent": attempt.pass_mark_percent,
        "passed": attempt.passed,
    }


@router.get(
    "/attempts",
    response={200: AttemptsPage, 404: PageNotFound, 422: InvalidRequestOut, **TOKEN_ERRORS},
    auth=require_token(Scope.READ_ATTEMPTS),
    url_name="attempt_list",
    operation_id="certifications_api_attempt_list",
    summary="The exam attempts at a vendor's certifications",
)
def attempt_list(request: HttpRequest, filters: Query[AttemptFilters]):
    """Needs scope `read_attempts`, on a vendor's token: every attempt at that vendor's exams,
    newest first, 100 a page, graded or still in progress."""
    attempts = selectors.attempts_of_vendor(vendor_id=request.auth.vendor_id, since=filters.since)
    return paginated(request, attempts, page=filters.page, size=PAGE_SIZE, out=_attempt_out)
