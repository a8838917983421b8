"""Exam results and question-bank tools in the Wagtail admin. Results (attempts, statistics,
exports, accommodations, reopening) are the programme managers'; question-bank imports and
exports are every vendor staff member's, authors included. Every view finds its exam or attempt
through the vendors the person manages and its pool through those they work for, so anything
else is a 404."""

import csv
from datetime import UTC

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.exams import selectors, services
from certifications.exams.formats import FORMATS
from certifications.exams.forms import AccommodationForm, AttemptFilterForm, QuestionImportForm, ReopenForm


def index(request):
    return render(
        request,
        "certifications/admin/index.html",
        {
            "exams": selectors.exams_overview(user=request.user),
            "pools": list(selectors.pools_overview(user=request.user)),
        },
    )


def _exam(request, exam_id):
    exam = selectors.exam_for_manager(exam_id=exam_id, user=request.user)
    if exam is None:
        raise Http404
    return exam


def _filtered(exam, form):
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.exam_attempts_filtered(
        exam=exam,
        result=data.get("result", ""),
        status=data.get("status", ""),
        query=data.get("q", ""),
        since=data.get("since"),
    )


def exam_report(request, exam_id, accommodation_form=None):
    exam = _exam(request, exam_id)
    form = AttemptFilterForm(request.GET or None)
    attempts = _filtered(exam, form)
    if request.GET.get("export") == "csv":
        return _attempts_csv(exam, attempts)
    page = Paginator(attempts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certifications/admin/exam_report.html",
        {
            "exam": exam,
            "form": form,
            "page": page,
            "pass_rate": selectors.exam_pass_rate(attempts=attempts),
            "statistics": selectors.exam_question_statistics(exam=exam),
            "accommodation_form": accommodation_form or AccommodationForm(),
            "reopen_form": ReopenForm(),
            "audit_events": list(selectors.exam_audit_events(exam=exam)[:50]),
            "query": request.GET.urlencode(),
        },
    )


def _attempts_csv(exam, attempts) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exam-{exam.pk}-attempts.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "candidate",
            "email",
            "started_utc",
            "submitted_utc",
            "status",
            "score_percent",
            "passed",
            "timed_out",
            "reopened",
        ]
    )
    for attempt in attempts.iterator():
        writer.writerow(
            [
                attempt.user.full_name,
                attempt.user.email,
                attempt.started_at.astimezone(UTC).isoformat(),
                attempt.submitted_at.astimezone(UTC).isoformat() if attempt.submitted_at else "",
                attempt.status,
                attempt.score_percent if attempt.score_percent is not None else "",
                {True: "yes", False: "no", None: ""}[attempt.passed],
                "yes" if attempt.auto_submitted else "no",
                "yes" if attempt.reopened_at else "no",
            ]
        )
    return response


@require_POST
def accommodation_grant(request, exam_id):
    exam = _exam(request, exam_id)
    form = AccommodationForm(request.POST)
    if form.is_valid():
        candidate = selectors.candidate_by_email(email=form.cleaned_data["email"])
        if candidate is None:
            form.add_error("email", _("Nobody has an account with this e-mail address."))
        else:
            try:
                services.accommodation_grant(
                    exam=exam,
                    user=candidate,
                    extra_minutes=form.cleaned_data["extra_minutes"],
                    extra_attempts=form.cleaned_data["extra_attempts"],
                    note=form.cleaned_data["note"],
                    granted_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Accommodation granted to %(email)s.") % {"email": candidate.email})
                return redirect("certifications_admin:exam_report", exam_id=exam.pk)
    return exam_report(request, exam_id, accommodation_form=form)


@require_POST
def attempt_reopen(request, attempt_id):
    attempt = selectors.attempt_for_manager(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    form = ReopenForm(request.POST)
    if not form.is_valid():
        if "note" in form.errors:
            messages.error(request, _("Write a note saying why; it is kept in the audit trail."))
        else:
            messages.error(request, " ".join(form.errors["extra_minutes"]))
    else:
        try:
            services.attempt_reopen(
                attempt=attempt,
                note=form.cleaned_data["note"],
                extra_minutes=form.cleaned_data["extra_minutes"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The attempt was reopened; the candidate may continue it with the time that remained.")
            )
    return redirect("certifications_admin:exam_report", exam_id=attempt.exam_id)


def pool_import(request, pool_id):
    pool = selectors.pool_for_staff(pool_id=pool_id, user=request.user)
    if pool is None:
        raise Http404
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.questions_import(
            pool=pool, text=form.cleaned_data["content"], fmt=form.cleaned_data["format"]
        )
        if result.ok:
            messages.success(
                request, _("%(n)d questions imported into %(pool)s.") % {"n": len(result.questions), "pool": pool.name}
            )
            return redirect("certifications_admin:index")
    return render(
        request,
        "certifications/admin/pool_import.html",
        {
            "pool": pool,
            "form": form,
            "errors": result.errors if result else [],
            "counted_by": result.counted_by if result else "line",
            "formats": FORMATS,
        },
    )


def pool_export(request, pool_id, fmt):
    pool = selectors.pool_for_staff(pool_id=pool_id, user=request.user)
    if pool is None or fmt not in FORMATS:
        raise Http404
    export = FORMATS[fmt]
    response = HttpResponse(export.dump(selectors.pool_questions_data(pool=pool)), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="pool-{pool.pk}.{export.extension}"'
    return response
