"""Moodle XML import and export. Moodle's own fixtures and importer test questions are under
tests/data/moodle_xml/ (GPL v3 or later, see the README there); their expected meanings are the
assertions of Moodle's question/format/xml/tests/."""

from decimal import Decimal
from pathlib import Path

import pytest

from certifications.exams import services
from certifications.exams.formats.moodle_xml import moodle_xml_dump, moodle_xml_parse
from certifications.exams.question_formats import OptionData, QuestionData
from certifications.models import Question
from tests.factories.certifications import QuestionPoolFactory

DATA = Path(__file__).resolve().parents[2] / "data" / "moodle_xml"


def _quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"


def _mc(answers: str, *, single="true", text="<p>Pick one</p>", extra="", name="Q") -> str:
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>'
        f"<single>{single}</single>{extra}{answers}</question>"
    )


def _answer(fraction, text, feedback="") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
        f"<feedback><text>{feedback}</text></feedback></answer>"
    )


def test_moodles_nested_categories_give_section_tags_and_refuse_the_essay():
    result = moodle_xml_parse((DATA / "nested_categories_with_questions.xml").read_bytes())
    assert result.counted_by == "question"
    assert result.errors == [(2, "“Kappa Essay Question”: Essay questions are not supported by exams here")]
    assert [(q.text, q.section_tag, q.kind) for q in result.questions] == [
        ("Testing Iota Question", "Iota", "true_false"),
        ("Testing Kappa Question", "Kappa", "true_false"),
        ("Testing Lambda Question", "Lambda", "true_false"),
        ("Testing Mu Question", "Mu", "true_false"),
    ]
    assert [o.correct for o in result.questions[0].options] == [True, False]


def test_moodles_invalid_grade_is_refused_as_moodle_refuses_it():
    result = moodle_xml_parse((DATA / "error_invalid_grades.xml").read_bytes())
    assert not result.questions
    [(position, message)] = result.errors
    assert position == 1 and "invalid grades" in message and "the fraction 33% is not" in message


def test_moodles_importer_test_questions_are_refused_with_their_reason():
    result = moodle_xml_parse((DATA / "xmlformat_test_cases.xml").read_bytes())
    assert not result.questions
    assert result.errors == [
        (1, "“Multiple choice question”: hints are not shown by exams here"),
        (2, "“Numerical question”: Numerical questions are not supported by exams here"),
        (3, "“Short answer question”: Short answer questions are not supported by exams here"),
        (4, "“An essay”: Essay questions are not supported by exams here"),
        (5, "“A description”: Description questions are not supported by exams here"),
    ]


def test_multichoice_with_fractions_feedback_tags_and_moodle_paragraphs():
    xml = _quiz(
        '<question type="category"><category><text>$course$/top/Cloud//Edge</text></category></question>',
        _mc(
            _answer(100, "&lt;p&gt;443&lt;/p&gt;", "Right.")
            + _answer(0, "80", "Plain HTTP.")
            + "<tags><tag><text>tls</text></tag><tag><text>ports</text></tag></tags>"
            + '<generalfeedback format="html"><text><![CDATA[<p>TLS</p><p>over TCP.<br>Always.</p>]]></text>'
            + "</generalfeedback>",
            text='<p dir="ltr">Which port &amp; protocol?</p>',
        ),
        _mc(_answer(50, "A") + _answer(-100, "B") + _answer(50, "C"), single="false", name="Multi"),
        _mc(_answer(100, "A") + _answer(33.33333, "B") + _answer(0, "C"), name="Partly"),
        _mc(_answer(100, "A") + _answer(100, "B") + _answer(0, "C"), name="Two right"),
    )
    result = moodle_xml_parse(xml)
    assert result.ok, result.errors
    single, multiple, partly, two = result.questions
    assert single.text == "Which port & protocol?" and single.explanation == "TLS\n\nover TCP.\nAlways."
    assert (single.kind, single.scoring, single.section_tag, single.tags) == (
        "single",
        "all_or_nothing",
        "Cloud/Edge",
        ["tls", "ports"],
    )
    assert single.options == [OptionData("443", True, None, "Right."), OptionData("80", False, None, "Plain HTTP.")]
    assert (multiple.kind, multiple.scoring) == ("multiple", "weighted")
    assert [o.fraction for o in multiple.options] == [Decimal("0.5"), Decimal("-1"), Decimal("0.5")]
    assert [o.fraction for o in partly.options] == [Decimal(1), Decimal("0.3333333"), Decimal(0)]
    # Moodle gives full marks for either answer worth 100%; weighted scoring here does the same.
    assert (two.scoring, [o.correct for o in two.options]) == ("weighted", [True, True, False])


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (_mc(_answer(100, "A") + _answer(0, "B"), text='<p><img src="@@PLUGINFILE@@/a.png"></p>'), "<img>"),
        (_mc(_answer(100, "<![CDATA[<b>A</b>]]>") + _answer(0, "B")), "<b>"),
        (
            _mc(_answer(100, "A") + _answer(0, "B"), extra="<correctfeedback><text>Great!</text></correctfeedback>"),
            "combined feedback",
        ),
        (_mc(_answer(90, "A") + _answer(0, "B")), "needs an answer worth 100%"),
        (_mc(_answer(50, "A") + _answer(25, "B"), single="false"), "add up to 100%"),
        (_mc(_answer("x", "A") + _answer(0, "B")), "is not a number"),
        (_mc(_answer("NaN", "A") + _answer(0, "B")), "is not a number"),
        ('<question type="match"><name><text>Q</text></name></question>', "Matching questions are not supported"),
        ('<question type="multianswer"><name><text>Q</text></name></question>', "Cloze"),
        (
            '<question type="multichoice"><name><text>Q</text></name><questiontext format="markdown">'
            "<text>**bold**</text></questiontext></question>",
            "Markdown",
        ),
    ],
)
def test_what_an_exam_cannot_hold_is_refused_with_name_and_position(question, reason):
    result = moodle_xml_parse(_quiz(_mc(_answer(100, "ok") + _answer(0, "no"), name="Fine"), question))
    assert len(result.questions) == 1
    assert result.errors and all(position == 2 and message.startswith("“Q”: ") for position, message in result.errors)
    assert any(reason in message for _position, message in result.errors), result.errors


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<quiz><question", "not well-formed"),
        ("<questions/>", "root element is not <quiz>"),
        ('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><quiz>&b;</quiz>', "refused"),
        ("<quiz></quiz>", "no questions"),
    ],
)
def test_broken_files_get_one_clear_error(source, reason):
    result = moodle_xml_parse(source)
    assert not result.questions and len(result.errors) == 1 and reason in result.errors[0][1]


ROUND_TRIP = [
    QuestionData(
        kind="single",
        text="Which port?\nPick <one> & only one.",
        explanation='TLS "over" TCP.',
        section_tag="",
        tags=["ports", "tls"],
        options=[OptionData("443", True, None, "Yes."), OptionData("80 <http>", False, None, "No & never.")],
    ),
    QuestionData(
        kind="single",
        scoring="weighted",
        text="Closest?",
        section_tag="Cloud/Edge",
        options=[
            OptionData("A", True, Decimal(1), "Best."),
            OptionData("B", True, Decimal("0.3333333")),
            OptionData("C", False, Decimal(0)),
        ],
    ),
    QuestionData(
        kind="multiple",
        scoring="weighted",
        text="Which are block storage?",
        section_tag="storage",
        options=[
            OptionData("SSD", True, Decimal("0.5")),
            OptionData("Bucket", False, Decimal("-1"), "Object storage."),
            OptionData("NVMe", True, Decimal("0.5")),
        ],
    ),
    QuestionData(
        kind="multiple",
        scoring="partial",
        text="Partial?",
        section_tag="storage",
        options=[OptionData("A", True), OptionData("B", False), OptionData("C", True)],
    ),
    QuestionData(
        kind="multiple",
        scoring="all_or_nothing",
        text="All or nothing?",
        section_tag="storage",
        options=[OptionData("A", True), OptionData("B", True), OptionData("C", False)],
    ),
    QuestionData(
        kind="true_false",
        text="UDP is connection-oriented.",
        explanation="It is not.",
        section_tag="storage",
        options=[OptionData("True", False, None, "It has no connections."), OptionData("False", True, None, "Right.")],
    ),
]


def test_round_trip_keeps_every_field():
    result = moodle_xml_parse(moodle_xml_dump(ROUND_TRIP))
    assert result.ok, result.errors
    for position, (original, back) in enumerate(zip(ROUND_TRIP, result.questions, strict=True), 1):
        original.line = position
        assert back == original


@pytest.mark.django_db
def test_import_writes_the_questions_to_the_pool():
    pool = QuestionPoolFactory()
    result = services.questions_import(pool=pool, text=moodle_xml_dump(ROUND_TRIP), fmt="moodle_xml")
    assert result.ok, result.errors
    assert Question.objects.filter(pool=pool).count() == len(ROUND_TRIP)
    weighted = Question.objects.get(pool=pool, text="Closest?")
    assert [o.fraction for o in weighted.options.order_by("sort_order")] == [
        Decimal(1),
        Decimal("0.3333333"),
        Decimal(0),
    ]
