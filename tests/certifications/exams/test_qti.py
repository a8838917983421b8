"""QTI packages: QTI 3.0 export and import, QTI 2.1 import. The QTI 2.1 items under
tests/data/qti_samples/ are 1EdTech's QTI v2.1 examples as QTIWorks ships them (BSD 3-clause,
see the README there); their meaning comes from their own response processing templates."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from certifications.exams import services
from certifications.exams.formats.qti import qti_dump, qti_parse
from certifications.exams.question_formats import QuestionData
from certifications.models import Question
from tests.certifications.exams.test_moodle_xml import ROUND_TRIP
from tests.factories.certifications import QuestionPoolFactory

DATA = Path(__file__).resolve().parents[2] / "data" / "qti_samples"


def _package(items: dict[str, bytes | str], *, manifest: str | None = None, types=None) -> bytes:
    resources = "".join(
        f'<resource identifier="r{i}" type="{(types or {}).get(name, "imsqti_item_xmlv2p1")}" href="{name}">'
        f'<file href="{name}"/></resource>'
        for i, name in enumerate(items)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "imsmanifest.xml",
            manifest
            or f'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources>{resources}'
            "</resources></manifest>",
        )
        for name, body in items.items():
            archive.writestr(name, body)
    return out.getvalue()


def _sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_qti21_samples_keep_their_scoring_or_are_refused_by_name():
    result = qti_parse(
        _package(
            {
                "items/choice_multiple.xml": _sample("choice_multiple.xml"),
                "items/choice_fixed.xml": _sample("choice_fixed.xml"),
                "items/text_entry.xml": _sample("text_entry.xml"),
            }
        )
    )
    assert result.counted_by == "question"
    [water] = result.questions
    assert water.text == "Which of the following elements are used to form water?"
    assert (water.kind, water.scoring) == ("multiple", "weighted")
    # map_response: mapped values over the upper bound 2, unmapped choices at the default -2.
    assert [(o.text, o.fraction, o.correct) for o in water.options] == [
        ("Hydrogen", Decimal("0.5"), True),
        ("Helium", Decimal(-1), False),
        ("Carbon", Decimal(-1), False),
        ("Oxygen", Decimal("0.5"), True),
        ("Nitrogen", Decimal(-1), False),
        ("Chlorine", Decimal("-0.5"), False),
    ]
    assert result.errors == [
        (
            2,
            "“Unattended Luggage” (items/choice_fixed.xml): the question text: it is formatted with HTML (<img>), "
            "which is not supported: write it as plain text",
        ),
        (
            3,
            "“Richard III (Take 3)” (items/text_entry.xml): Text entry (short answer) questions are not supported "
            "by exams here",
        ),
    ]


QTI3_CHOICE = """<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="q" title="Water"
    adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier">
    <qti-correct-response><qti-value>H</qti-value><qti-value>O</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <p>Chemistry.</p>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="0">
      <qti-prompt>Which form water?</qti-prompt>
      <qti-simple-choice identifier="H">Hydrogen</qti-simple-choice>
      <qti-simple-choice identifier="He">Helium</qti-simple-choice>
      <qti-simple-choice identifier="O">Oxygen</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>
</qti-assessment-item>"""


def test_qti3_match_correct_is_all_or_nothing():
    result = qti_parse(_package({"q.xml": QTI3_CHOICE}, types={"q.xml": "imsqti_item_xmlv3p0"}))
    assert result.ok, result.errors
    [question] = result.questions
    assert (question.kind, question.scoring, question.text) == (
        "multiple",
        "all_or_nothing",
        "Chemistry.\n\nWhich form water?",
    )
    assert [o.correct for o in question.options] == [True, False, True]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (('max-choices="0"', 'max-choices="2"'), "limit of 2 choices"),
        (('max-choices="0"', 'max-choices="lots"'), "is not a number"),
        (("match_correct", "custom"), "only the standard match_correct and map_response"),
        (("<qti-prompt>", "<qti-prompt><b>Bold</b>"), "<b>"),
        (('adaptive="false"', 'adaptive="true"'), "adaptive items"),
        (
            (
                "</qti-item-body>",
                '</qti-item-body><qti-modal-feedback outcome-identifier="FEEDBACK" identifier="H" '
                'show-hide="show">Nice</qti-modal-feedback>',
            ),
            "feedback shown on conditions",
        ),
        (
            ("<p>Chemistry.</p>", '<p>Chemistry.</p><qti-text-entry-interaction response-identifier="X"/>'),
            "several interactions",
        ),
    ],
)
def test_what_an_exam_cannot_hold_is_refused_per_item(change, reason):
    broken = QTI3_CHOICE.replace(*change)
    result = qti_parse(_package({"fine.xml": QTI3_CHOICE, "bad.xml": broken}))
    assert len(result.questions) == 1
    assert result.errors and all(p == 2 and "(bad.xml)" in m for p, m in result.errors)
    assert any(reason in m for _p, m in result.errors), result.errors


def _zip(entries: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        (b"not a zip", "not a zip package"),
        (_zip({"items/q.xml": QTI3_CHOICE}), "no imsmanifest.xml"),
        (_zip({"imsmanifest.xml": "<manifest>", "q.xml": QTI3_CHOICE}), "not well-formed"),
        (_zip({"imsmanifest.xml": "<manifest/>"}), "lists no assessment items"),
        (_zip({"imsmanifest.xml": "<manifest/>", "../evil.xml": "x"}), "path outside"),
        (
            _package(
                {"q.xml": QTI3_CHOICE},
                manifest='<manifest><resource type="imsqti_item_xmlv3p0" href="../q.xml"/></manifest>',
            ),
            "outside the package",
        ),
        (
            _package(
                {"q.xml": QTI3_CHOICE},
                manifest='<manifest><resource type="imsqti_item_xmlv3p0" href="gone.xml"/></manifest>',
            ),
            "gone.xml, which is not in the package",
        ),
        (_package({"q.xml": '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}), "entities"),
    ],
)
def test_broken_packages_get_one_clear_error(package, reason):
    result = qti_parse(package)
    assert not result.questions and len(result.errors) == 1 and reason in result.errors[0][1], result.errors


def test_zip_bomb_is_refused_before_reading(monkeypatch):
    from certifications.exams.formats import qti

    monkeypatch.setattr(qti, "MAX_UNPACKED_BYTES", 1000)
    result = qti_parse(_package({"q.xml": QTI3_CHOICE + " " * 5000}))
    assert "larger than" in result.errors[0][1]


def test_round_trip_keeps_every_field():
    package = qti_dump(ROUND_TRIP)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert "imsmanifest.xml" in archive.namelist()
        assert all(name.startswith("items/") for name in archive.namelist() if name != "imsmanifest.xml")
    result = qti_parse(package)
    assert result.ok, result.errors
    for position, (original, back) in enumerate(zip(ROUND_TRIP, result.questions, strict=True), 1):
        expected = QuestionData(**{**original.__dict__, "line": position})
        assert back == expected


@pytest.mark.django_db
def test_import_writes_the_questions_to_the_pool():
    pool = QuestionPoolFactory()
    result = services.questions_import(pool=pool, text=qti_dump(ROUND_TRIP), fmt="qti")
    assert result.ok, result.errors
    assert Question.objects.filter(pool=pool).count() == len(ROUND_TRIP)
    single = Question.objects.get(pool=pool, text="Which port?\nPick <one> & only one.")
    assert sorted(single.tags.names()) == ["ports", "tls"] and single.section_tag == ""
