"""Moodle XML, both ways, read as Moodle's importer reads it (question/format/xml/format.php).

Held here: multichoice (one answer or several), truefalse, with each answer's fraction (our option
weight), each answer's feedback, the general feedback (our explanation) and tags. A question's
category path gives its section tag: the path's last part (`$course$/top/Routing` is "Routing";
Moodle's root "top" is no tag). Exported multiple-answer questions graded all or nothing, or by
our partial credit, carry a `<scoring>` element (Moodle ignores it and grades by the fractions,
which for partial credit give the same marks).

Refused, each with its position and name: question types an exam cannot hold (matching, short
answer, essay, numerical, cloze and the others), text with markup other than paragraphs and line
breaks, fractions that are not one of Moodle's grades (Moodle refuses them too), combined feedback
other than Moodle's defaults and hints (exams show neither). Settings that an exam decides itself
are not read: default mark, penalty, shuffling, numbering, hidden.
"""

from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certifications.exams.formats.html_text import MarkupRefused, plain_from_markup
from certifications.exams.question_formats import (
    FRACTION_PLACES,
    OptionData,
    ParseResult,
    QuestionData,
    _percent,
    _true_and_false,
    moodle_grade,
    question_problems,
)

DEFAULT_COMBINED_FEEDBACK = {
    "correctfeedback": "Your answer is correct.",
    "partiallycorrectfeedback": "Your answer is partially correct.",
    "incorrectfeedback": "Your answer is incorrect.",
}
QTYPE_NAMES = {
    "match": gettext_lazy("Matching"),
    "shortanswer": gettext_lazy("Short answer"),
    "essay": gettext_lazy("Essay"),
    "numerical": gettext_lazy("Numerical"),
    "multianswer": gettext_lazy("Embedded answers (Cloze)"),
    "description": gettext_lazy("Description"),
    "calculated": gettext_lazy("Calculated"),
    "calculatedsimple": gettext_lazy("Simple calculated"),
    "calculatedmulti": gettext_lazy("Calculated multichoice"),
    "ddwtos": gettext_lazy("Drag and drop into text"),
    "ddimageortext": gettext_lazy("Drag and drop onto image"),
    "ddmarker": gettext_lazy("Drag and drop markers"),
    "gapselect": gettext_lazy("Select missing words"),
    "randomsamatch": gettext_lazy("Random short-answer matching"),
}


class _Refused(Exception):
    """A question Moodle reads but an exam here cannot hold with the same meaning."""


def _raw(element, path: str) -> tuple[str, str]:
    """The text and format of a Moodle text element (`<questiontext format="html"><text>`)."""
    node = element.find(path)
    if node is None:
        return "", "moodle_auto_format"
    return node.findtext("text", default=""), node.get("format", "moodle_auto_format")


def _plain(element, path: str, what: str, fmt: str | None = None) -> str:
    text, own = _raw(element, path)
    try:
        return plain_from_markup(text, fmt or own)
    except MarkupRefused as refusal:
        raise _Refused(_("the %(what)s: %(why)s") % {"what": what, "why": refusal}) from None


def _category_tag(element) -> str:
    """The last part of a category path; Moodle writes a / inside a name as //."""
    path = element.findtext("category/text", default="").strip()
    parts = path.replace("//", "\0").split("/")
    last = parts[-1].replace("\0", "/").strip()
    return "" if len(parts) == 1 and last.startswith("$") or last == "top" else last


def _fraction(answer) -> Decimal:
    raw = answer.get("fraction", "0")
    try:
        fraction = Decimal(raw) / 100
        if not fraction.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise _Refused(_("the fraction “%(fraction)s” is not a number") % {"fraction": raw}) from None
    grade = moodle_grade(fraction)
    if grade is not None:
        return grade
    raise _Refused(
        _("the fraction %(fraction)s%% is not one of Moodle's grades (such as 50%% or 33.33333%%)") % {"fraction": raw}
    )


def _refuse_unshown(element) -> None:
    for name, default in DEFAULT_COMBINED_FEEDBACK.items():
        text = _plain(element, name, _("combined feedback"))
        if text and text != default:
            raise _Refused(_("combined feedback (for any correct or incorrect response) is not shown by exams here"))
    if any(_plain(hint, ".", _("hint")) for hint in element.findall("hint")):
        raise _Refused(_("hints are not shown by exams here"))


def _multichoice(element, common: dict) -> QuestionData:
    single = element.findtext("single", default="true").strip().lower() in ("true", "1")
    options = []
    for answer in element.findall("answer"):
        text = _plain(answer, ".", _("answer"))
        feedback = _plain(answer, "feedback", _("feedback"))
        fraction = _fraction(answer)
        # Moodle drops an answer left blank in its form.
        if not text and not feedback and not fraction:
            continue
        options.append(OptionData(text, fraction > 0, fraction, feedback))
    scoring = element.findtext("scoring", default="").strip()
    fractions = [option.fraction for option in options]
    if not single and scoring in ("all_or_nothing", "partial"):
        options = [option._replace(fraction=None) for option in options]
    elif single and fractions.count(1) == 1 and all(f in (0, 1) for f in fractions):
        scoring, options = "all_or_nothing", [option._replace(fraction=None) for option in options]
    else:
        scoring = "weighted"
    return QuestionData(kind="single" if single else "multiple", scoring=scoring, options=options, **common)


def _truefalse(element, common: dict) -> QuestionData:
    answers = {}
    for answer in element.findall("answer"):
        word = answer.findtext("text", default="").strip().lower()
        answers[word] = (_fraction(answer), _plain(answer, "feedback", _("feedback")))
    if set(answers) != {"true", "false"}:
        raise _Refused(_("a true/false question needs one “true” and one “false” answer"))
    (true, true_feedback), (false, false_feedback) = answers["true"], answers["false"]
    if {true, false} != {0, 1}:
        raise _Refused(_("one of a true/false question's answers must be worth 100%, the other 0%"))
    return QuestionData(
        kind="true_false",
        options=[
            OptionData(_("True"), true == 1, None, true_feedback),
            OptionData(_("False"), false == 1, None, false_feedback),
        ],
        **common,
    )


def _question(element, qtype: str, section_tag: str, position: int) -> QuestionData:
    if qtype not in ("multichoice", "truefalse"):
        kind = QTYPE_NAMES.get(qtype, qtype)
        raise _Refused(_("%(kind)s questions are not supported by exams here") % {"kind": kind})
    _refuse_unshown(element)
    common = {
        "text": _plain(element, "questiontext", _("question text")),
        "explanation": _plain(element, "generalfeedback", _("general feedback")),
        "section_tag": section_tag,
        "tags": [tag.strip() for tag in (t.findtext("text", "") for t in element.findall("tags/tag")) if tag.strip()],
        "line": position,
    }
    if qtype == "truefalse":
        return _truefalse(element, common)
    return _multichoice(element, common)


def moodle_xml_parse(source: str | bytes) -> ParseResult:
    """Questions from a Moodle XML file, each with the meaning Moodle gives it. Problems are
    reported per question, by its position among the file's questions and its name."""
    result = ParseResult(counted_by="question")
    try:
        root = defusedxml.ElementTree.fromstring(source)
    except DefusedXmlException:
        result.errors.append((0, _("the file declares XML entities or a DTD, which are refused")))
        return result
    except ElementTree.ParseError as error:
        result.errors.append((0, _("the file is not well-formed XML (%(error)s)") % {"error": error}))
        return result
    if root.tag != "quiz":
        result.errors.append((0, _("this is not a Moodle XML file: its root element is not <quiz>")))
        return result
    section_tag, position = "", 0
    for element in root.iter("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            section_tag = _category_tag(element)
            continue
        position += 1
        name = element.findtext("name/text", default="").strip()
        try:
            question = _question(element, qtype, section_tag, position)
            problems = question_problems(question)
        except _Refused as refusal:
            problems = [str(refusal)]
        if problems:
            named = f"“{name}”: " if name else ""
            result.errors += [(position, named + problem) for problem in problems]
        else:
            result.questions.append(question)
    if not position and not result.errors:
        result.errors.append((0, _("the file has no questions")))
    return result


def _text_element(parent, tag: str, text: str, **attrs) -> None:
    node = ElementTree.SubElement(parent, tag, {"format": "plain_text", **attrs})
    ElementTree.SubElement(node, "text").text = text


def _answer(parent, fraction: Decimal, text: str, feedback: str, fmt: str = "plain_text") -> None:
    answer = ElementTree.SubElement(parent, "answer", {"fraction": _percent(fraction), "format": fmt})
    ElementTree.SubElement(answer, "text").text = text
    _text_element(answer, "feedback", feedback)


def _fractions(question: QuestionData) -> list[Decimal]:
    """The Moodle fraction of each option: its weight, 100% or 0% for one answer to choose, or
    an equal share of the marks per correct answer (and as much off per wrong one)."""
    if question.scoring == "weighted":
        return [option.fraction for option in question.options]
    if question.kind != "multiple":
        return [Decimal(1) if option.correct else Decimal(0) for option in question.options]
    share = (Decimal(1) / (sum(1 for o in question.options if o.correct) or 1)).quantize(FRACTION_PLACES)
    return [share if option.correct else -share for option in question.options]


def moodle_xml_dump(questions: list[QuestionData]) -> str:
    """Moodle XML that Moodle and `moodle_xml_parse` read back as the same questions; texts are
    written as Moodle's plain text format, so nothing in them is read as markup."""
    quiz = ElementTree.Element("quiz")
    tag = None
    for q in questions:
        if q.section_tag != tag:
            tag = q.section_tag
            category = ElementTree.SubElement(quiz, "question", {"type": "category"})
            path = "$course$/top" + (f"/{tag.replace('/', '//')}" if tag else "")
            ElementTree.SubElement(ElementTree.SubElement(category, "category"), "text").text = path
        element = ElementTree.SubElement(
            quiz, "question", {"type": "truefalse" if q.kind == "true_false" else "multichoice"}
        )
        ElementTree.SubElement(ElementTree.SubElement(element, "name"), "text").text = " ".join(q.text.split())[:100]
        _text_element(element, "questiontext", q.text)
        _text_element(element, "generalfeedback", q.explanation)
        ElementTree.SubElement(element, "defaultgrade").text = "1"
        ElementTree.SubElement(element, "penalty").text = "0"
        ElementTree.SubElement(element, "hidden").text = "0"
        if q.kind == "true_false":
            for option, word in zip(_true_and_false(q), ("true", "false"), strict=True):
                _answer(element, Decimal(1 if option.correct else 0), word, option.feedback, "moodle_auto_format")
        else:
            ElementTree.SubElement(element, "single").text = "true" if q.kind == "single" else "false"
            ElementTree.SubElement(element, "shuffleanswers").text = "true"
            ElementTree.SubElement(element, "answernumbering").text = "abc"
            if q.kind == "multiple" and q.scoring != "weighted":
                ElementTree.SubElement(element, "scoring").text = q.scoring
            for option, fraction in zip(q.options, _fractions(q), strict=True):
                _answer(element, fraction, option.text, option.feedback)
        if q.tags:
            tags = ElementTree.SubElement(element, "tags")
            for name in q.tags:
                ElementTree.SubElement(ElementTree.SubElement(tags, "tag"), "text").text = name
    ElementTree.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(quiz, encoding="unicode") + "\n"
