import pytest

from certifications import question_formats, selectors, services
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
    assert single.options == [("80", False), ("443", True), ("22", False)]
    assert (multiple.kind, multiple.scoring) == ("multiple", "partial")
    assert [ok for _t, ok in multiple.options] == [True, False, True]
    assert true_false.kind == "true_false" and [ok for _t, ok in true_false.options] == [False, True]
    assert single.section_tag == "networking" and single.explanation == "TLS over TCP."


def test_gift_parses_every_kind_with_categories_and_scoring():
    result = question_formats.gift_parse(GOOD_GIFT)
    assert result.ok, result.errors
    single, multiple, true_false = result.questions
    assert single.text == "Which port does HTTPS use?" and single.explanation == "TLS over TCP."
    assert single.section_tag == "networking" and single.line == 4
    assert (multiple.kind, multiple.scoring) == ("multiple", "all_or_nothing")
    assert true_false.section_tag == "storage" and [ok for _t, ok in true_false.options] == [False, True]


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
    key = [(q.kind, q.scoring, q.section_tag, q.text, q.explanation, q.options) for q in exported]
    assert key == [(q.kind, q.scoring, q.section_tag, q.text, q.explanation, q.options) for q in again]


def test_gift_escapes_special_characters_both_ways():
    data = question_formats.QuestionData(
        kind="single", text="Set a=b: {x}?", options=[("~tilde #hash", True), ("plain", False)], explanation="50% off"
    )
    back = question_formats.gift_parse(question_formats.gift_dump([data])).questions[0]
    assert (back.text, back.options, back.explanation) == (data.text, data.options, data.explanation)
