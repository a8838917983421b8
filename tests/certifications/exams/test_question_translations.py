"""Questions carry translations; a candidate sees the frozen draw in their language (the
original where a question has none) and is graded exactly as in any other language, because the
options keep their identity and order."""

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.exams import services
from certifications.models import AttemptQuestion, Question, QuestionTranslation
from tests.factories import certifications as f
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


def _translate(question: Question) -> QuestionTranslation:
    options = [option.text for option in question.options.order_by("sort_order")]
    return QuestionTranslation.objects.create(
        question=question,
        language="zh-hans",
        text=f"中文：{question.text}",
        explanation=f"解释：{question.explanation}",
        option_texts="\n".join(f"选项：{text}" for text in options),
    )


def _exam_with_translations(**fields):
    exam = f.exam(questions=4, reveal_answers=True, **fields)
    questions = list(Question.objects.filter(pool=exam.sections.get().pool).order_by("pk"))
    for question in questions[:3]:  # the last one stays English only
        _translate(question)
    return exam, questions


def _take_url(attempt, q, prefix=""):
    # In English: a request leaves its language active, and reverse() would prefix the URL.
    with translation.override("en"):
        return f"{prefix}{reverse('certifications:attempt_take', kwargs={'public_id': attempt.public_id})}?q={q}"


def test_the_draw_freezes_each_translation_with_the_options_in_the_shown_order():
    exam, _questions = _exam_with_translations()
    attempt = services.attempt_start(exam=exam, user=UserFactory())
    for copy in AttemptQuestion.objects.filter(attempt=attempt).select_related("question"):
        shown = copy.shown_in("zh-hans")
        if copy.question.translations.exists():
            assert shown.text == f"中文：{copy.text}"
            assert [o["text"] for o in shown.options] == [f"选项：{o['text']}" for o in copy.options]
        else:
            assert shown.text == copy.text
            assert shown.options == copy.options
        assert [o["correct"] for o in shown.options] == [o["correct"] for o in copy.options]
        assert copy.shown_in("en").text == copy.text


def test_a_chinese_candidate_sees_the_question_in_chinese_without_the_answer_key(client):
    exam, _questions = _exam_with_translations()
    candidate = UserFactory(preferred_language="zh-hans")
    attempt = services.attempt_start(exam=exam, user=candidate)
    client.force_login(candidate)
    copies = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("question").order_by("position"))
    for copy in copies:
        content = client.get(_take_url(attempt, copy.position, "/zh-hans")).content.decode()
        translated = copy.question.translations.exists()
        assert (f"中文：{copy.text}" in content) is translated
        assert "解释：" not in content and copy.explanation not in content
        for option in copy.options:
            assert (f"选项：{option['text']}" if translated else option["text"]) in content
    english = client.get(_take_url(attempt, 1)).status_code
    assert english == 302  # the stored preference sends them to the Chinese address


def test_the_same_answers_are_graded_the_same_in_either_language(client):
    exam, _questions = _exam_with_translations(shuffle_options=False, shuffle_questions=False, attempts_allowed=5)
    scores = []
    for language in ("en", "zh-hans"):
        candidate = UserFactory(preferred_language=language)
        client.force_login(candidate)
        attempt = services.attempt_start(exam=exam, user=candidate)
        # Answer through the page's own form: the first question right, the others wrong.
        for copy in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
            right = copy.position == 1
            pick = next(i for i, o in enumerate(copy.options) if o["correct"] == right)
            services.attempt_answer(attempt=attempt, position=copy.position, selected=[pick])
        graded = services.attempt_submit(attempt=attempt)
        prefix = "" if language == "en" else "/zh-hans"
        with translation.override("en"):
            result_url = reverse("certifications:attempt_result", kwargs={"public_id": attempt.public_id})
        result = client.get(f"{prefix}{result_url}")
        assert result.status_code == 200
        if language == "zh-hans":
            assert "选项：" in result.content.decode() and "解释：" in result.content.decode()
        scores.append((graded.score_percent, graded.passed))
    assert scores[0] == scores[1]


def test_editing_a_translation_after_the_start_does_not_change_the_attempt():
    exam, questions = _exam_with_translations()
    attempt = services.attempt_start(exam=exam, user=UserFactory())
    QuestionTranslation.objects.filter(question__in=questions).update(text="改过了")
    for copy in AttemptQuestion.objects.filter(attempt=attempt):
        assert copy.shown_in("zh-hans").text != "改过了"
