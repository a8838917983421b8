"""Writes for certification exams: question imports, attempts (start, answer, submit, grading),
staff accommodations and reopenings, and the hand-off of a passed attempt to `certificate_issue`.

Every function here is one transaction. Rules that must hold when requests race (one attempt in
progress per person and exam, the attempt limit and cooldown, grading once) are held by locking
the candidate's user row at start and the attempt row when answering or submitting, with database
constraints behind them."""

import random
from contextlib import suppress
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, FloatField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.certificates import renewal
from certifications.certificates.issuing import RequiredCoursesIncomplete, certificate_issue
from certifications.exams import question_formats, selectors
from certifications.exams.formats import FORMATS
from certifications.models import (
    Accommodation,
    AttemptQuestion,
    Exam,
    ExamAttempt,
    ExamAuditEvent,
    Option,
    Question,
    QuestionKind,
    QuestionPool,
    Scoring,
)
from community.models import User

_random = random.SystemRandom()


class ExamUnavailable(ValidationError):
    """The candidate may not start the exam now; the message says why."""


class AttemptClosed(ValidationError):
    """The attempt no longer takes answers (submitted, or its deadline passed)."""


# --- Question banks -------------------------------------------------------------------------


def questions_import(*, pool: QuestionPool, text: str | bytes, fmt: str) -> question_formats.ParseResult:
    """Parse `text` in the format `fmt` (a key of `formats.FORMATS`: bytes for a package) and add
    its questions to `pool`, with their options' weights and feedback and their tags. All or
    nothing: when any question has a problem the result lists them and nothing is written."""
    result = FORMATS[fmt].parse(text)
    if not result.ok:
        return result
    with transaction.atomic():
        for data in result.questions:
            question = Question(
                pool=pool,
                kind=data.kind,
                scoring=data.scoring,
                text=data.text,
                explanation=data.explanation,
                section_tag=data.section_tag,
            )
            question.tags.add(*data.tags)
            question.save()
            Option.objects.bulk_create(
                Option(
                    question=question,
                    text=option.text,
                    is_correct=option.correct,
                    fraction=option.fraction,
                    feedback=option.feedback,
                    sort_order=i,
                )
                for i, option in enumerate(data.options)
            )
    return result


# --- Attempts -------------------------------------------------------------------------------


def _frozen_translations(question: Question, order: list[int]) -> dict:
    """The question's translations for its attempt copy, option texts in the shown `order`
    (indexes into the bank's option order); a missing line falls back to the original."""
    frozen = {}
    for translated in question.translations.all():
        lines = translated.option_lines
        frozen[translated.language] = {
            "text": translated.text,
            "explanation": translated.explanation,
            "options": [lines[i] if i < len(lines) else "" for i in order],
        }
    return frozen


def _draw(*, exam: Exam, attempt: ExamAttempt) -> list[AttemptQuestion]:
    """Pick each section's questions at random and copy them, options in their shown order, so
    later edits to the bank never change what this attempt shows or how it is graded."""
    copies: list[AttemptQuestion] = []
    for index, section in enumerate(exam.sections.select_related("pool").order_by("sort_order", "pk")):
        candidates = Question.objects.filter(pool=section.pool, active=True)
        if section.section_tag:
            candidates = candidates.filter(section_tag=section.section_tag)
        ids = list(candidates.values_list("pk", flat=True))
        if len(ids) < section.question_count:
            raise ExamUnavailable(_("This exam is not ready yet: one of its question pools is too small."))
        chosen = _random.sample(ids, section.question_count)
        questions = {
            q.pk: q for q in Question.objects.filter(pk__in=chosen).prefetch_related("options", "translations")
        }
        order = chosen if exam.shuffle_questions else sorted(chosen)
        for pk in order:
            question = questions[pk]
            shown = list(enumerate(question.options.all()))  # (index in the bank's order, option)
            if exam.shuffle_options and question.kind != QuestionKind.TRUE_FALSE:
                _random.shuffle(shown)
            options = [_option_copy(o) for _i, o in shown]
            copies.append(
                AttemptQuestion(
                    attempt=attempt,
                    position=len(copies) + 1,
                    question=question,
                    section_index=index,
                    section_title=section.title,
                    section_weight=section.weight,
                    kind=question.kind,
                    scoring=question.scoring,
                    text=question.text,
                    explanation=question.explanation,
                    options=options,
                    translations=_frozen_translations(question, [i for i, _o in shown]),
                )
            )
    if not copies:
        raise ExamUnavailable(_("This exam is not ready yet: it has no sections."))
    return copies


def _option_copy(option: Option) -> dict:
    """An option as an attempt keeps it; the weight as a string, so grading stays exact."""
    copy = {"text": option.text, "correct": option.is_correct}
    if option.fraction is not None:
        copy["fraction"] = str(option.fraction)
    if option.feedback:
        copy["feedback"] = option.feedback
    return copy


def attempt_start(*, exam: Exam, user: User, now: datetime | None = None) -> ExamAttempt:
    """Start an attempt, or return the one already in progress (a second tab or a double click
    resumes it). Refuses with `ExamUnavailable` when the exam is closed, required courses are not
    complete, the attempt limit of the rolling window is used up or the cooldown after a failure
    runs. Locks the candidate's user row, so concurrent starts are decided one at a time; the
    partial unique constraint on in-progress attempts backs it. Unused accommodations are applied
    to (and consumed by) the new attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = ExamAttempt.objects.filter(exam=exam, user=user, status=ExamAttempt.Status.IN_PROGRESS).first()
        if current is not None:
            if current.deadline_at > now:
                return current
            # Under the attempt's own row lock, like every grading, so a submit racing this
            # start cannot grade it a second time.
            _submit(attempt=current, now=now)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = ExamAttempt.objects.filter(exam=exam, user=user, status=ExamAttempt.Status.IN_PROGRESS).first()
        if current is not None:
            return current
        standing = selectors.exam_standing(exam=exam, user=user, now=now)
        if not standing.can_start:
            raise ExamUnavailable(standing.reason)
        pending = list(Accommodation.objects.select_for_update().filter(exam=exam, user=user, used_by__isnull=True))
        extra = sum(a.extra_minutes for a in pending)
        try:
            with transaction.atomic():
                attempt = ExamAttempt.objects.create(
                    exam=exam,
                    user=user,
                    started_at=now,
                    deadline_at=now + timedelta(minutes=exam.time_limit_minutes + extra),
                    extra_minutes=extra,
                    pass_mark_percent=exam.pass_mark_percent,
                    reveal_answers=exam.reveal_answers,
                )
        except IntegrityError:
            return ExamAttempt.objects.get(exam=exam, user=user, status=ExamAttempt.Status.IN_PROGRESS)
        AttemptQuestion.objects.bulk_create(_draw(exam=exam, attempt=attempt))
        Accommodation.objects.filter(pk__in=[a.pk for a in pending]).update(used_by=attempt)
    return attempt


def _lock(attempt: ExamAttempt) -> ExamAttempt:
    return ExamAttempt.objects.select_for_update().get(pk=attempt.pk)


def attempt_answer(
    *,
    attempt: ExamAttempt,
    position: int,
    selected: list[int] | None = None,
    flagged: bool | None = None,
    now: datetime | None = None,
) -> AttemptQuestion:
    """Save the answer to question `position` (`selected`: indexes of the chosen options, as
    shown) and/or its review flag. The last save wins, so two tabs cannot lose each other's other
    answers. Raises `AttemptClosed` when the attempt was submitted or its deadline has passed; in
    the second case the attempt is submitted with what was saved before the deadline. Raises
    `ValidationError` for an answer that does not fit the question."""
    now = now or timezone.now()
    expired = False
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.in_progress and locked.deadline_at <= now:
            _grade(attempt=locked, at=locked.deadline_at, auto=True)
            expired = True
        elif locked.in_progress:
            question = AttemptQuestion.objects.filter(attempt=locked, position=position).first()
            if question is None:
                raise ValidationError(_("There is no such question in this attempt."))
            fields = []
            if selected is not None:
                chosen = sorted(set(selected))
                if any(i < 0 or i >= len(question.options) for i in chosen):
                    raise ValidationError(_("That option is not part of this question."))
                if question.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
                    raise ValidationError(_("Choose one option for this question."))
                question.selected, question.answered_at = chosen, (now if chosen else None)
                fields += ["selected", "answered_at"]
            if flagged is not None:
                question.flagged = flagged
                fields.append("flagged")
            if fields:
                question.save(update_fields=fields)
            return question
    if expired:
        raise AttemptClosed(_("Time is up: your saved answers were submitted."))
    raise AttemptClosed(_("This attempt has already been submitted."))


def attempt_submit(*, attempt: ExamAttempt, now: datetime | None = None) -> ExamAttempt:
    """Submit and grade the attempt. Grades exactly once: a second submit, or a submit racing the
    deadline sweep, finds it graded under the row lock and returns it unchanged. Past the
    deadline it is graded as submitted at the deadline with the answers saved by then."""
    return _submit(attempt=attempt, now=now or timezone.now())[0]


def _submit(*, attempt: ExamAttempt, now: datetime) -> tuple[ExamAttempt, bool]:
    """Submit under the row lock; also says whether this call did the grading."""
    with transaction.atomic():
        locked = _lock(attempt)
        if not locked.in_progress:
            return locked, False
        if now >= locked.deadline_at:
            _grade(attempt=locked, at=locked.deadline_at, auto=True)
        else:
            _grade(attempt=locked, at=now, auto=False)
    return locked, True


def attempt_refresh(*, attempt: ExamAttempt, now: datetime | None = None) -> ExamAttempt:
    """Submit the attempt if its deadline has passed (called whenever an attempt is touched)."""
    now = now or timezone.now()
    if attempt.in_progress and attempt.deadline_at <= now:
        return attempt_submit(attempt=attempt, now=now)
    return attempt


def attempts_submit_overdue(*, now: datetime | None = None) -> int:
    """Submit every attempt whose deadline has passed; returns how many it submitted. Each attempt
    is its own transaction; safe to run while candidates submit (grading happens once)."""
    now = now or timezone.now()
    overdue = ExamAttempt.objects.filter(status=ExamAttempt.Status.IN_PROGRESS, deadline_at__lte=now)
    submitted = 0
    for attempt in overdue.only("pk"):
        submitted += _submit(attempt=attempt, now=now)[1]
    return submitted


def answer_mark(*, kind: str, scoring: str, options: list[dict], selected: list[int]) -> float:
    """Marks (0 to 1) for one answer. Partial credit gives each correct choice an equal share and
    takes one share away per wrong choice, never below zero. Weighted scoring is Moodle's: the sum
    of the chosen options' weights (one choice for a single-answer question), kept between 0 and 1."""
    chosen = set(selected)
    if scoring == Scoring.WEIGHTED:
        total = sum((Decimal(options[i]["fraction"]) for i in chosen), Decimal(0))
        return float(min(Decimal(1), max(Decimal(0), total)))
    correct = {i for i, option in enumerate(options) if option["correct"]}
    if kind == QuestionKind.MULTIPLE and scoring == Scoring.PARTIAL and correct:
        return max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct))
    return 1.0 if chosen == correct else 0.0


def _percent(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _points_store(*, attempt: ExamAttempt, questions: list[AttemptQuestion]) -> None:
    """One UPDATE whose CASE has a branch per distinct score (a handful: 0, 1 and partial
    credits), not per question as `bulk_update` writes it, which took half of grading's time."""
    by_points: dict[float, list[int]] = {}
    for question in questions:
        by_points.setdefault(question.points, []).append(question.pk)
    branches = [When(pk__in=ids, then=Value(points)) for points, ids in by_points.items()]
    if branches:
        AttemptQuestion.objects.filter(attempt=attempt).update(points=Case(*branches, output_field=FloatField()))


def _grade(*, attempt: ExamAttempt, at: datetime, auto: bool) -> None:
    """Grade a locked, in-progress attempt from its frozen copies. A fixed number of queries
    whatever the number of questions."""
    questions = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    sections: dict[int, dict] = {}
    for question in questions:
        question.points = answer_mark(
            kind=question.kind, scoring=question.scoring, options=question.options, selected=question.selected
        )
        section = sections.setdefault(
            question.section_index,
            {"title": question.section_title, "weight": question.section_weight, "points": 0.0, "count": 0},
        )
        section["points"] += question.points
        section["count"] += 1
    _points_store(attempt=attempt, questions=questions)
    section_scores = []
    weighted = total_weight = 0.0
    for index in sorted(sections):
        section = sections[index]
        percent = 100 * section["points"] / section["count"]
        section_scores.append(
            {"title": section["title"], "weight": section["weight"], "percent": float(_percent(percent))}
        )
        weighted += section["weight"] * percent
        total_weight += section["weight"]
    attempt.score_percent = _percent(weighted / total_weight if total_weight else 0)
    attempt.passed = attempt.score_percent >= attempt.pass_mark_percent
    attempt.section_scores = section_scores
    attempt.status = ExamAttempt.Status.GRADED
    attempt.submitted_at = at
    attempt.auto_submitted = auto
    attempt.save(
        update_fields=["score_percent", "passed", "section_scores", "status", "submitted_at", "auto_submitted"]
    )
    # A pass is issued its certificate as of its submission. One made before the required courses
    # are complete earns none, then or later: completing them afterwards issues nothing.
    if attempt.passed:
        with suppress(RequiredCoursesIncomplete):
            certificate_issue(attempt=attempt, now=at)


# --- Staff decisions ------------------------------------------------------------------------


def _audit_note(note: str) -> str:
    text = note.strip()
    if not text:
        raise ValidationError(_("Write a note saying why; it is kept in the audit trail."))
    return text


@transaction.atomic
def accommodation_grant(
    *,
    exam: Exam,
    user: User,
    extra_minutes: int,
    extra_attempts: int,
    note: str,
    granted_by: User,
    now: datetime | None = None,
) -> Accommodation:
    """Grant the candidate extra time and/or extra attempts for their next attempt, with an audit
    note. Applies once: the next attempt they start uses it."""
    now = now or timezone.now()
    text = _audit_note(note)
    if extra_minutes < 0 or extra_attempts < 0 or (extra_minutes == 0 and extra_attempts == 0):
        raise ValidationError(_("Grant extra minutes, an extra attempt, or both."))
    accommodation = Accommodation.objects.create(
        exam=exam,
        user=user,
        extra_minutes=extra_minutes,
        extra_attempts=extra_attempts,
        note=text,
        granted_by=granted_by,
        granted_at=now,
    )
    ExamAuditEvent.objects.create(
        exam=exam, candidate=user, actor=granted_by, kind=ExamAuditEvent.Kind.ACCOMMODATION, note=text, created_at=now
    )
    return accommodation


def attempt_reopen(
    *, attempt: ExamAttempt, note: str, by: User, extra_minutes: int = 0, now: datetime | None = None
) -> ExamAttempt:
    """Reopen a failed attempt that went wrong through no fault of the candidate (a technical
    incident, say): it is in progress again with the answers it had, until `now` plus the time that
    remained when it ended (plus `extra_minutes`, for an attempt that ended at its deadline), and
    its result is cleared. Audited with that result and the times.

    "Graded exactly once" holds per opening: an attempt is graded once when it ends and, if staff
    reopen it, once more when it ends again; it can be reopened only once, so it is graded at most
    twice and its last grade is its result. It stays one attempt (the limit counts it once), the
    candidate's user row is locked as by `attempt_start` so no second attempt in progress can
    appear beside it, and a pass on the second grading issues the certificate once, as any pass.
    Refused with `ValidationError` for an attempt that passed, is in progress, was reopened
    before, or whose answers were shown with its result; while the candidate has another attempt
    in progress or holds the certification already; and when no time would remain."""
    now = now or timezone.now()
    text = _audit_note(note)
    if extra_minutes < 0:
        raise ValidationError(_("Extra minutes cannot be negative."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=attempt.user_id).first()
        locked = _lock(attempt)
        if locked.in_progress or locked.passed or locked.reopened_at is not None:
            raise ValidationError(_("Only a failed attempt that has not been reopened can be reopened."))
        if locked.reveal_answers:
            raise ValidationError(
                _("The correct answers were shown with this attempt's result, so it cannot be continued.")
            )
        if ExamAttempt.objects.filter(
            exam_id=locked.exam_id, user_id=locked.user_id, status=ExamAttempt.Status.IN_PROGRESS
        ).exists():
            raise ValidationError(_("The candidate has another attempt at this exam in progress."))
        exam = Exam.objects.select_related("certification").get(pk=locked.exam_id)
        if renewal.renewal_opens_on(exam=exam, user=locked.user, now=now):
            raise ValidationError(_("The candidate already holds this certification."))
        remaining = locked.time_left_when_ended
        time_left = remaining + timedelta(minutes=extra_minutes)
        if not time_left:
            raise ValidationError(
                _("No time remained when this attempt ended: give the candidate extra minutes to continue it.")
            )
        ExamAuditEvent.objects.create(
            exam_id=locked.exam_id,
            candidate_id=locked.user_id,
            attempt=locked,
            actor=by,
            kind=ExamAuditEvent.Kind.REOPEN,
            note=text,
            details={
                "score_percent": str(locked.score_percent),
                "submitted_at": locked.submitted_at.isoformat(),
                "remaining_seconds": int(remaining.total_seconds()),
                "extra_minutes": extra_minutes,
                "deadline_at": (now + time_left).isoformat(),
            },
            created_at=now,
        )
        locked.status = ExamAttempt.Status.IN_PROGRESS
        locked.deadline_at = now + time_left
        locked.extra_minutes += extra_minutes
        locked.reopened_at = now
        locked.submitted_at = locked.score_percent = locked.passed = None
        locked.auto_submitted = False
        locked.section_scores = []
        locked.save(
            update_fields=[
                "status",
                "deadline_at",
                "extra_minutes",
                "reopened_at",
                "submitted_at",
                "score_percent",
                "passed",
                "auto_submitted",
                "section_scores",
            ]
        )
        AttemptQuestion.objects.filter(attempt=locked).update(points=None)
    return locked
