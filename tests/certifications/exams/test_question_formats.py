from decimal import Decimal

import pytest

from certifications.exams import question_formats, selectors, services
from certifications.models import Question
from tests.factories.certifications import QuestionPoolFactory

GOOD_CSV = """kind,scoring,section_tag,question,explanation,correct,option_a,option_b,option_c
single,,networking,"Which port does HTTPS use?",TLS over TCP.,B,80,443,22
multiple,partial,storage,"Which are block storage?",,A;C,SSD volume,Object bucket,NVMe disk
true_false,,networking,"UDP is connection-oriented.",It is not.,false,,,
"""

GOOD_GIFT = """// a comment
$CATEGORY: top/networking

::q1:: Which port does HTTPS use? {
~80
=443
~22
####TLS over TCP.}

// scoring: all_or_nothing
Which are block storage? {~%50%SSD volume ~%-100%Object bucket ~%50%NVMe disk}

$CATEGORY: storage
UDP is connection-oriented. {F ####It is not.}
"""


def test_csv_parses_every_kind():
    result = question_formats.csv_parse(GOOD_CSV)
    assert result.ok, result.errors
    single, multiple, true_false = result.questions
    assert [(o.text, o.correct) for o in single.options] == [("80", False), ("443", True), ("22", False)]
    assert (multiple.kind, multiple.scoring) == ("multiple", "partial")
    assert [o.correct for o in multiple.options] == [True, False, True]
    assert true_false.kind == "true_false" and [o.correct for o in true_false.options] == [False, True]
    assert single.section_tag == "networking" and single.explanation == "TLS over TCP."


def test_gift_parses_every_kind_with_categories_and_scoring():
    result = question_formats.gift_parse(GOOD_GIFT)
    assert result.ok, result.errors
    single, multiple, true_false = result.questions
    assert single.text == "Which port does HTTPS use?" and single.explanation == "TLS over TCP."
    assert single.section_tag == "networking" and single.line == 4
    assert (multiple.kind, multiple.scoring) == ("multiple", "all_or_nothing")
    assert true_false.section_tag == "storage" and [o.correct for o in true_false.options] == [False, True]


def test_csv_errors_carry_line_numbers():
    text = (
        "kind,scoring,section_tag,question,explanation,correct,option_a,option_b\n"
        "single,,,Fine question,,A,yes,no\n"
        "single,,,Two right,,A;B,yes,no\n"
        "essay,,,Unknown kind,,A,yes,no\n"
        "single,,,Missing option,,C,yes,no\n"
    )
    result = question_formats.csv_parse(text)
    assert [line for line, _message in result.errors] == [3, 4, 5]


def test_gift_errors_carry_line_numbers():
    text = "Fine {=a ~b}\n\nNo answers here\n\nTwo right {=a =b ~c}\n"
    result = question_formats.gift_parse(text)
    lines = [line for line, _message in result.errors]
    assert 3 in lines and 5 not in lines  # two "=" answers make a multiple-choice question
    assert not result.ok


@pytest.mark.django_db
def test_import_writes_nothing_when_any_line_is_wrong():
    pool = QuestionPoolFactory()
    bad = GOOD_CSV + "single,,,Broken,,Z,a,b\n"
    result = services.questions_import(pool=pool, text=bad, fmt="csv")
    assert not result.ok and result.errors[0][0] == 5
    assert not Question.objects.filter(pool=pool).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "gift"])
def test_export_then_import_round_trips(fmt):
    pool = QuestionPoolFactory()
    assert services.questions_import(pool=pool, text=GOOD_GIFT, fmt="gift").ok
    exported = selectors.pool_questions_data(pool=pool)
    text = question_formats.csv_dump(exported) if fmt == "csv" else question_formats.gift_dump(exported)
    copy = QuestionPoolFactory(vendor=pool.vendor)
    assert services.questions_import(pool=copy, text=text, fmt=fmt).ok
    again = selectors.pool_questions_data(pool=copy)
    key = [(q.kind, q.scoring, q.section_tag, q.text, q.explanation, q.options, q.tags) for q in exported]
    assert key == [(q.kind, q.scoring, q.section_tag, q.text, q.explanation, q.options, q.tags) for q in again]


def test_gift_escapes_special_characters_both_ways():
    data = question_formats.QuestionData(
        kind="single",
        text="Set a=b: {x}? C:\\temp",
        options=[
            question_formats.OptionData("~tilde #hash", True),
            question_formats.OptionData("kubectl logs <name>", False),
            question_formats.OptionData("[Beta] plain", False),
        ],
        explanation="50% off",
    )
    back = question_formats.gift_parse(question_formats.gift_dump([data])).questions[0]
    assert (back.text, back.options, back.explanation) == (data.text, data.options, data.explanation)


WEIGHTED_GIFT = """$CATEGORY: routing

// [tag:bgp] [tag:exam 2]
::w1:: Which attribute does BGP compare first? {
    ~MED#Later.
    ~%50%Local preference#Close: after weight.
    =Weight#Right.
    ####Cisco's order.}

Which are link-state protocols? {
    ~%50%OSPF#Yes.
    ~%-100%RIP#Distance vector.
    ~%50%IS-IS
}

BGP runs over TCP.{TRUE#It does not use UDP.#Port 179.}
"""


def test_gift_keeps_weights_feedback_and_tags():
    single, multiple, true_false = question_formats.gift_parse(WEIGHTED_GIFT).questions
    assert (single.kind, single.scoring, single.tags) == ("single", "weighted", ["bgp", "exam 2"])
    assert [(o.fraction, o.feedback) for o in single.options] == [
        (0, "Later."),
        (Decimal("0.5"), "Close: after weight."),
        (1, "Right."),
    ]
    assert single.explanation == "Cisco's order."
    assert (multiple.kind, multiple.scoring) == ("multiple", "weighted")
    assert [o.fraction for o in multiple.options] == [Decimal("0.5"), -1, Decimal("0.5")]
    assert [o.correct for o in multiple.options] == [True, False, True]
    # Moodle: the first feedback is shown to whoever answers wrongly, the second to whoever is right.
    assert [(o.text, o.correct, o.feedback) for o in true_false.options] == [
        ("True", True, "Port 179."),
        ("False", False, "It does not use UDP."),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "gift"])
def test_weights_feedback_and_tags_survive_export_and_import(fmt):
    pool = QuestionPoolFactory()
    assert services.questions_import(pool=pool, text=WEIGHTED_GIFT, fmt="gift").ok
    exported = selectors.pool_questions_data(pool=pool)
    assert exported[0].tags == ["bgp", "exam 2"]
    text = question_formats.csv_dump(exported) if fmt == "csv" else question_formats.gift_dump(exported)
    copy = QuestionPoolFactory(vendor=pool.vendor)
    result = services.questions_import(pool=copy, text=text, fmt=fmt)
    assert result.ok, result.errors
    again = selectors.pool_questions_data(pool=copy)
    fields = ("kind", "scoring", "section_tag", "text", "explanation", "options", "tags")
    assert [[getattr(q, name) for name in fields] for q in again] == [
        [getattr(q, name) for name in fields] for q in exported
    ]


def test_gift_export_of_partial_credit_carries_moodles_equivalent_weights():
    data = question_formats.QuestionData(
        kind="multiple",
        scoring="partial",
        text="Pick the two",
        options=[
            question_formats.OptionData("a", True),
            question_formats.OptionData("b", True),
            question_formats.OptionData("c", False),
        ],
    )
    text = question_formats.gift_dump([data])
    assert "// scoring: partial" in text and "~%50%a" in text and "~%-50%c" in text
    moodle_reading = question_formats.gift_parse(text.replace("// scoring: partial\n", "")).questions[0]
    options = [{"correct": o.correct, "fraction": str(o.fraction)} for o in moodle_reading.options]
    ours = [{"correct": o.correct} for o in data.options]
    for chosen in ([0], [0, 1], [0, 2], [2], [0, 1, 2], []):
        assert services.answer_mark(
            kind="multiple", scoring="weighted", options=options, selected=chosen
        ) == services.answer_mark(kind="multiple", scoring="partial", options=ours, selected=chosen)


@pytest.mark.parametrize(
    "gift, problem",
    [
        ("Q {~%50%a ~%20%b ~c}", "add up to 100%"),
        ("Q {=a ~%-50%b}", "negative weights"),
        # Moodle's importer refuses a weight that is not one of its grades, whatever the format.
        ("Q {~%50%a ~%50%b ~%-150%c}", "%-150% is not one of Moodle's grades"),
        ("Q {~%33%a ~%33.33333%b ~%33.33333%c ~%-100%d}", "%33% is not one of Moodle's grades"),
        ("Q {=a =%50%b ~c}", "weight after ="),
        ("Q {=only}", "Short-answer"),
        ("Q {~only}", "at least two answers"),
        ("[html]<b>Bold</b> question {=a ~b}", "HTML"),
        ("Question {=a ~[markdown]**b**}", "Markdown"),
        ("Two blocks {=a ~b} and {=c ~d}", "one answer block"),
        ("Just a statement.", "Description"),
    ],
)
def test_gift_refuses_what_an_exam_cannot_hold_the_way_moodle_means_it(gift, problem):
    result = question_formats.gift_parse(gift + "\n")
    assert not result.questions or not result.ok
    assert any(problem in message for _line, message in result.errors), result.errors


def test_gift_option_whose_percent_signs_are_not_a_weight_stays_text_as_in_moodle():
    question = question_formats.gift_parse("Q {=a ~%x%c}\n").questions[0]
    assert [o.text for o in question.options] == ["a", "%x%c"]


@pytest.mark.parametrize(
    "comment, tags",
    [
        ("// A basic comment.", []),
        ("// Look tags: [tag:frog] [tag:toad].", ["frog", "toad"]),
        ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", ["basic", "add"]),
        ("// Ceci n'est pas une [tag:\n// frog].", []),
        ("// [tag:t\\]ag].", ["t]ag"]),
    ],
)
def test_gift_tags_are_read_from_comments_as_moodle_reads_them(comment, tags):
    """The cases of Moodle's test_extract_idnumber_and_tags_from_comment."""
    question = question_formats.gift_parse(f"{comment}\nQ {{=a ~b}}\n").questions[0]
    assert question.tags == tags
