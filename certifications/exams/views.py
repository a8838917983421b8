"""Candidate pages: the certification list, taking an exam (one question per page, with
autosave through a small JSON endpoint and a plain form when JavaScript is off), review, results
and one's own history, with times in the person's zone (activated by community.middleware). An
attempt is only ever found through its owner, so anyone else gets 404.

Nothing rendered here before grading carries which options are correct, the explanations, or
questions outside the candidate's draw: the take page receives option texts only."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.exams import selectors, services
from certifications.models import ExamAttempt, QuestionKind


def certification_list(request):
    certifications = list(selectors.certifications_live())
    return render(request, "certifications/certification_list.html", {"certifications": certifications})


@require_POST
@login_required
def exam_start(request, exam_id: int):
    exam = selectors.exam_get(exam_id=exam_id)
    if exam is None or not exam.certification.live:
        raise Http404
    try:
        attempt = services.attempt_start(exam=exam, user=request.user)
    except services.ExamUnavailable as error:
        messages.error(request, " ".join(error.messages))
        return redirect(exam.certification.url)
    return redirect("certifications:attempt_take", public_id=attempt.public_id)


def _own_attempt(request, public_id) -> ExamAttempt:
    attempt = selectors.attempt_of_user(public_id=public_id, user=request.user)
    if attempt is None:
        raise Http404
    return services.attempt_refresh(attempt=attempt)


def _navigation(questions) -> list[dict]:
    return [
        {"position": q.position, "answered": bool(q.selected), "flagged": q.flagged, "section": q.section_title}
        for q in questions
    ]


def _resume_position(questions) -> int:
    """Where a candidate coming back without asking for a question continues: the first one they
    have not answered, or the first when every one is answered (the review screen is one click)."""
    return next((q.position for q in questions if not q.selected), 1)


@login_required
def attempt_take(request, public_id):
    attempt = _own_attempt(request, public_id)
    if not attempt.in_progress:
        return redirect("certifications:attempt_result", public_id=attempt.public_id)
    questions = selectors.attempt_questions(attempt=attempt)
    try:
        position = min(max(int(request.GET["q"]), 1), len(questions))
    except (KeyError, ValueError):
        position = _resume_position(questions)
    current = questions[position - 1]
    shown = current.shown_in(translation.get_language())  # the candidate's language
    answered = sum(1 for q in questions if q.selected)
    context = {
        "attempt": attempt,
        "certification": attempt.exam.certification,
        "question": {
            "position": current.position,
            "section": current.section_title,
            "text": shown.text,
            "multiple": current.kind == QuestionKind.MULTIPLE,
            "options": [
                {"index": i, "text": option["text"], "checked": i in current.selected}
                for i, option in enumerate(shown.options)
            ],
            "flagged": current.flagged,
        },
        "navigation": _navigation(questions),
        "total": len(questions),
        "answered": answered,
        "progress": round(100 * answered / len(questions)) if questions else 0,
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(questions) else None,
        "remaining_seconds": max(0, int((attempt.deadline_at - timezone.now()).total_seconds())),
    }
    return render(request, "certifications/attempt_take.html", context)


def _answer_payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as error:
            raise ValidationError(_("The answer could not be read.")) from error
        if not isinstance(data, dict):
            raise ValidationError(_("The answer could not be read."))
        selected = data.get("selected")
        if selected is not None and not (isinstance(selected, list) and all(isinstance(i, int) for i in selected)):
            raise ValidationError(_("The answer could not be read."))
        flagged = data.get("flagged")
        return {
            "position": data.get("position"),
            "selected": selected,
            "flagged": flagged if isinstance(flagged, bool) else None,
        }
    try:
        selected = [int(i) for i in request.POST.getlist("option")]
    except ValueError as error:
        raise ValidationError(_("The answer could not be read.")) from error
    return {
        "position": request.POST.get("position"),
        "selected": selected,
        "flagged": request.POST.get("flagged") == "1" if "flag_field" in request.POST else None,
    }


@require_POST
@login_required
def attempt_answer(request, public_id):
    """Save one answer. JSON in, JSON out for the autosave script; a form post (no JavaScript)
    saves and moves to the question it asks for."""
    attempt = selectors.attempt_of_user(public_id=public_id, user=request.user)
    if attempt is None:
        raise Http404
    wants_json = request.content_type == "application/json"
    result_url = reverse("certifications:attempt_result", kwargs={"public_id": attempt.public_id})
    try:
        payload = _answer_payload(request)
        position = int(payload["position"])
        saved = services.attempt_answer(
            attempt=attempt, position=position, selected=payload["selected"], flagged=payload["flagged"]
        )
    except services.AttemptClosed as error:
        if wants_json:
            return JsonResponse({"error": " ".join(error.messages), "redirect": result_url}, status=409)
        messages.warning(request, " ".join(error.messages))
        return redirect(result_url)
    except (ValidationError, TypeError, ValueError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else _("The answer could not be read.")
        if wants_json:
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect(_take_url(attempt, request.POST.get("position")))
    if wants_json:
        return JsonResponse(
            {
                "saved": True,
                "position": saved.position,
                "answered": bool(saved.selected),
                "flagged": saved.flagged,
            }
        )
    if request.POST.get("go") == "review":
        return redirect("certifications:attempt_submit", public_id=attempt.public_id)
    return redirect(_take_url(attempt, request.POST.get("go") or position))


def _take_url(attempt: ExamAttempt, position) -> str:
    url = reverse("certifications:attempt_take", kwargs={"public_id": attempt.public_id})
    try:
        return f"{url}?q={int(position)}"
    except (TypeError, ValueError):
        return url


@login_required
def attempt_submit(request, public_id):
    """GET: the review screen (answered, unanswered, flagged). POST: submit and grade."""
    attempt = _own_attempt(request, public_id)
    if request.method == "POST":
        services.attempt_submit(attempt=attempt)
        return redirect("certifications:attempt_result", public_id=attempt.public_id)
    if not attempt.in_progress:
        return redirect("certifications:attempt_result", public_id=attempt.public_id)
    questions = selectors.attempt_questions(attempt=attempt)
    navigation = _navigation(questions)
    context = {
        "attempt": attempt,
        "certification": attempt.exam.certification,
        "navigation": navigation,
        "total": len(questions),
        "answered": sum(1 for q in navigation if q["answered"]),
        "flagged": [q for q in navigation if q["flagged"]],
        "unanswered": [q for q in navigation if not q["answered"]],
        "remaining_seconds": max(0, int((attempt.deadline_at - timezone.now()).total_seconds())),
    }
    return render(request, "certifications/attempt_submit.html", context)


def _review(attempt: ExamAttempt) -> list[dict]:
    """The graded questions, each as the candidate saw it in their language."""
    language = translation.get_language()
    return [
        {"question": question, "shown": question.shown_in(language)}
        for question in selectors.attempt_questions(attempt=attempt)
    ]


@login_required
def attempt_result(request, public_id):
    attempt = _own_attempt(request, public_id)
    if attempt.in_progress:
        return redirect("certifications:attempt_take", public_id=attempt.public_id)
    standing = selectors.exam_standing(exam=attempt.exam, user=request.user)
    context = {
        "attempt": attempt,
        "certification": attempt.exam.certification,
        "standing": standing,
        "review": _review(attempt) if attempt.reveal_answers else None,
    }
    return render(request, "certifications/attempt_result.html", context)


@login_required
def my_attempts(request):
    attempts = list(selectors.attempts_of_user(user=request.user))
    return render(request, "certifications/my_attempts.html", {"attempts": attempts})
