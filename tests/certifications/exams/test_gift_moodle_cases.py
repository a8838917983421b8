"""Moodle's own GIFT cases, read by our importer: every question either keeps the meaning Moodle's
importer gives it (type, text, answers, their weights and feedback, general feedback) or is refused
with a message naming why. The files under tests/data/moodle_gift/ come from moodle/moodle
(question/format/gift/, GPL v3 or later; see the README there). The expected meanings below are
Moodle's: from the assertions of question/format/gift/tests/giftformat_test.php where it has one
for the question, otherwise from question/format/gift/format.php's rules for it."""

from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest

from certifications.exams import question_formats, services
from certifications.models import AttemptQuestion, ExamSection
from tests.factories import certifications as f

DATA = Path(__file__).resolve().parents[2] / "data" / "moodle_gift"
FILES = ("examples.txt", "questions.gift.txt", "questions_in_category.gift.txt", "giftformat_test_cases.gift.txt")


def mc(text, answers, *, single=True, general=""):
    """Moodle's multichoice: `answers` are (text, fraction, feedback)."""
    return ("multichoice", single, text, [(a, Decimal(str(w)), fb) for a, w, fb in answers], general)


def tf(text, correct, *, true_feedback="", false_feedback="", general=""):
    return ("truefalse", text, correct, true_feedback, false_feedback, general)


def refused(reason):
    return ("refused", reason)


GRANT = "Who's buried in Grant's tomb?"
GRANT_TF = "Grant is buried in Grant's tomb."
TOMB = "Grant is _____ in Grant's tomb."
CONTROL = (
    "Correct! \\ (backslash) is not a control character. BUT,\nit is used to escape the control characters. "
    "So, to specify\na literal backslash, you must escape it with a backslash\n(as shown in this example)."
)
SPECTRUM = "What's between orange and green in the spectrum?"
HITCHHIKER = "This is, of course, a Hitchiker's Guide to the Galaxy reference."

MOODLE = {
    # examples.txt
    ("examples.txt", 8): mc(GRANT, [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 1, "")]),
    ("examples.txt", 10): mc(TOMB, [("buried", 0, ""), ("entombed", 1, ""), ("living", 0, "")]),
    ("examples.txt", 12): tf(GRANT_TF, False),
    ("examples.txt", 14): refused("Short-answer"),
    ("examples.txt", 16): refused("Numerical"),
    ("examples.txt", 25): mc(GRANT, [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 1, "")]),
    ("examples.txt", 27): mc(TOMB, [("buried", 0, ""), ("entombed", 1, ""), ("living", 0, "")]),
    ("examples.txt", 29): mc(
        "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.",
        [("second", 0, ""), ("third", 0, ""), ("fourth", 1, "")],
    ),
    ("examples.txt", 35): mc(
        "Japanese characters originally came from what country?",
        [("India", 0, ""), ("China", 1, ""), ("Korea", 0, ""), ("Egypt", 0, "")],
    ),
    ("examples.txt", 43): refused("Short-answer"),
    ("examples.txt", 45): refused("Short-answer"),
    ("examples.txt", 49): tf(GRANT_TF, False),
    ("examples.txt", 51): tf("The sun rises in the east.", True),
    ("examples.txt", 55): refused("Matching"),
    ("examples.txt", 61): refused("Matching"),
    ("examples.txt", 70): refused("Numerical"),
    ("examples.txt", 72): refused("Numerical"),
    ("examples.txt", 74): refused("Numerical"),
    ("examples.txt", 76): refused("Numerical"),
    ("examples.txt", 85): refused("Numerical"),
    ("examples.txt", 90): refused("Short-answer"),
    ("examples.txt", 93): mc(
        "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.",
        [("second", 0, ""), ("third", 0, ""), ("fourth", 1, "")],
    ),
    ("examples.txt", 98): mc(
        "What's the answer to this multiple-choice question?",
        [
            ("wrong answer", 0, "feedback comment on the wrong answer"),
            ("another wrong answer", 0, "feedback comment on this wrong answer"),
            ("right answer", 1, "Very good!"),
        ],
    ),
    ("examples.txt", 103): refused("Short-answer"),
    ("examples.txt", 108): refused("Short-answer"),
    ("examples.txt", 113): tf(GRANT_TF, False, true_feedback="No one is buried in Grant's tomb."),
    ("examples.txt", 115): mc(
        "Difficult question.", [("wrong answer", 0, ""), ("half credit answer", 0.5, ""), ("full credit answer", 1, "")]
    ),
    ("examples.txt", 117): mc(
        "Jesus Christ was from _____.",
        [
            ("Jerusalem", 0, "This was an important city, but the wrong answer."),
            ("Bethlehem", 0.25, "He was born here, but not raised here."),
            ("Galilee", 0.5, "You need to be more specific."),
            ("Nazareth", 1, "Yes! That's right!"),
        ],
    ),
    ("examples.txt", 123): refused("Short-answer"),
    ("examples.txt", 130): mc(
        "What two people are entombed in Grant's tomb?",
        [("No one", 0, ""), ("Grant", 0.5, ""), ("Grant's wife", 0.5, ""), ("Grant's father", 0, "")],
        single=False,
    ),
    ("examples.txt", 136): mc(
        "What two people are entombed in Grant's tomb?",
        [("No one", -0.5, ""), ("Grant", 0.5, ""), ("Grant's wife", 0.5, ""), ("Grant's father", -0.5, "")],
        single=False,
    ),
    ("examples.txt", 143): mc("Which answer equals 5?", [("= 2 + 2", 0, ""), ("= 2 + 3", 1, ""), ("= 2 + 4", 0, "")]),
    ("examples.txt", 148): mc(
        "Which of the following is NOT a control character for the GIFT import format?",
        [
            ("~", 0, "~ is a control character."),
            ("=", 0, "= is a control character."),
            ("#", 0, "# is a control character."),
            ("{", 0, "{ is a control character."),
            ("}", 0, "} is a control character."),
            ("\\", 1, CONTROL),
        ],
    ),
    ("examples.txt", 167): mc(GRANT, [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 1, "")]),
    ("examples.txt", 169): mc(TOMB, [("buried", 0, ""), ("entombed", 1, ""), ("living", 0, "")]),
    ("examples.txt", 171): tf(GRANT_TF, False),
    ("examples.txt", 173): refused("Short-answer"),
    ("examples.txt", 175): refused("Numerical"),
    ("examples.txt", 177): refused("Matching"),
    ("examples.txt", 184): mc(
        TOMB,
        [("buried", 0, "No one is buried there."), ("entombed", 1, "Right answer!"), ("living", 0, "We hope not!")],
    ),
    ("examples.txt", 190): mc(
        "Difficult multiple choice question.",
        [
            ("wrong answer", 0, "comment on wrong answer"),
            ("half credit answer", 0.5, "comment on answer"),
            ("full credit answer", 1, "well done!"),
        ],
    ),
    ("examples.txt", 195): refused("Short-answer"),
    ("examples.txt", 202): refused("Numerical"),
    # tests/fixtures/questions.gift.txt (giftformat_test.php's test_import_* cases)
    ("questions.gift.txt", 2): refused("Essay"),  # test_import_essay
    ("questions.gift.txt", 5): refused("Matching"),  # test_import_match
    ("questions.gift.txt", 14): mc(  # test_import_multichoice
        SPECTRUM,
        [("yellow", 1, "right; good!"), ("red", 0, "wrong, it's yellow"), ("blue", 0, "wrong, it's yellow")],
    ),
    ("questions.gift.txt", 22): mc(  # test_import_multichoice_multi
        SPECTRUM,
        [
            ("yellow", 0.5, "right; good!"),
            ("red", -1, "wrong"),
            ("off-beige", 0.5, "right; good!"),
            ("blue", -1, "wrong"),
        ],
        single=False,
    ),
    ("questions.gift.txt", 31): refused("Numerical"),  # test_import_numerical
    ("questions.gift.txt", 34): refused("Short-answer"),  # test_import_shortanswer
    # The fixture keeps a stray `";` after the answers: Moodle reads it as a missing-word question.
    ("questions.gift.txt", 41): tf(
        '42 is the Absolute Answer to everything._____";',
        False,
        true_feedback="42 is the Ultimate Answer.",
        false_feedback="You gave the right answer.",
        general=HITCHHIKER,
    ),
    ("questions.gift.txt", 46): tf("TSL is blablabla.", True),  # test_import_truefalse_true_answer1
    ("questions.gift.txt", 49): tf("TSL is blablabla.", True),  # test_import_truefalse_true_answer2
    # tests/fixtures/questions_in_category.gift.txt
    ("questions_in_category.gift.txt", 5): refused("Matching"),
    ("questions_in_category.gift.txt", 14): refused("HTML"),  # a link to an audio file and line breaks
    ("questions_in_category.gift.txt", 22): refused("Short-answer"),
    ("questions_in_category.gift.txt", 27): refused("HTML"),  # italics
    # giftformat_test.php's other import cases
    ("giftformat_test_cases.gift.txt", 6): mc(  # test_import_multichoice_multi_tricky
        SPECTRUM, [("yellow", 1, "right; good!"), ("red", -0.5, "wrong"), ("blue", -0.5, "wrong")], single=False
    ),
    ("giftformat_test_cases.gift.txt", 15): refused("Short-answer"),  # ..._with_general_feedback
    ("giftformat_test_cases.gift.txt", 24): tf(  # test_import_truefalse
        "42 is the Absolute Answer to everything.",
        False,
        true_feedback="42 is the Ultimate Answer.",
        false_feedback="You gave the right answer.",
    ),
    ("giftformat_test_cases.gift.txt", 29): refused("Essay"),  # test_import_backslash
    ("giftformat_test_cases.gift.txt", 32): refused("Essay"),  # test_import_pre_content
    ("giftformat_test_cases.gift.txt", 45): refused("Essay"),  # test_import_question_with_tags
}


def _meaning(question: question_formats.QuestionData):
    """Our question in Moodle's terms."""
    if question.kind == "true_false":
        true, false = question.options
        return ("truefalse", question.text, true.correct, true.feedback, false.feedback, question.explanation)
    answers = [
        (o.text, o.fraction if question.scoring == "weighted" else Decimal(int(o.correct)), o.feedback)
        for o in question.options
    ]
    return ("multichoice", question.kind == "single", question.text, answers, question.explanation)


def _read_all():
    found = {}
    for name in FILES:
        result = question_formats.gift_parse((DATA / name).read_text(encoding="utf-8"))
        for question in result.questions:
            found[(name, question.line)] = _meaning(question)
        for line, message in result.errors:
            assert (name, line) not in found, f"{name}:{line} has more than one problem"
            found[(name, line)] = ("refused", message)
    return found


def test_every_moodle_case_keeps_moodles_meaning_or_is_refused_with_a_reason():
    found = _read_all()
    assert sorted(found) == sorted(MOODLE)
    for key, expected in MOODLE.items():
        if expected[0] == "refused":
            assert found[key][0] == "refused", f"{key} imported as {found[key]}"
            assert expected[1] in found[key][1], f"{key}: {found[key][1]}"
        else:
            assert found[key] == expected, key
    imported = [key for key, meaning in MOODLE.items() if meaning[0] != "refused"]
    assert (len(MOODLE), len(imported)) == (62, 30)


def _moodle_grade(meaning, chosen: set[str]) -> Decimal:
    """What Moodle gives a response: the chosen answer's fraction (single), or the sum of the
    chosen fractions kept between 0 and 1 (multiple), or right/wrong for true/false."""
    if meaning[0] == "truefalse":
        return Decimal(int(chosen == {"True" if meaning[2] else "False"}))
    fractions = {text: fraction for text, fraction, _feedback in meaning[3]}
    return min(Decimal(1), max(Decimal(0), sum((fractions[text] for text in chosen), Decimal(0))))


@pytest.mark.django_db
def test_imported_moodle_questions_grade_as_moodle_grades_every_response(user):
    blocks = {}
    for name in FILES:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        for (file, line), meaning in MOODLE.items():
            if file == name and meaning[0] != "refused":
                end = next((i for i in range(line, len(lines)) if not lines[i].strip()), len(lines))
                blocks[(file, line)] = "\n".join(lines[line - 1 : end])
    exam = f.exam(questions=0)
    section = ExamSection.objects.get(exam=exam)
    result = services.questions_import(pool=section.pool, text="\n\n".join(blocks.values()), fmt="gift")
    assert result.ok, result.errors
    section.question_count = len(blocks)
    section.save(update_fields=["question_count"])
    attempt = services.attempt_start(exam=exam, user=user)
    copies = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("question_id"))
    assert len(copies) == len(blocks)
    checked = 0
    for key, copy in zip(blocks, copies, strict=True):
        meaning = MOODLE[key]
        texts = [option["text"] for option in copy.options]
        sizes = range(0, len(texts) + 1) if copy.kind == "multiple" else (1,)
        for size in sizes:
            for chosen in combinations(range(len(texts)), size):
                points = services.answer_mark(
                    kind=copy.kind, scoring=copy.scoring, options=copy.options, selected=list(chosen)
                )
                expected = _moodle_grade(meaning, {texts[i] for i in chosen})
                assert Decimal(str(points)) == expected, (key, [texts[i] for i in chosen])
                checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_a_file_with_questions_exams_cannot_hold_imports_nothing_and_names_each():
    pool = f.QuestionPoolFactory()
    result = services.questions_import(pool=pool, text=(DATA / "examples.txt").read_text(), fmt="gift")
    refusals = {line for (name, line), meaning in MOODLE.items() if name == "examples.txt" and meaning[0] == "refused"}
    assert {line for line, _message in result.errors} == refusals
    assert not pool.questions.exists()
