"""Questions as text: CSV and Moodle GIFT, both ways. Pure functions over `QuestionData`; the
service that writes them is `certifications.exams.services.questions_import`.

CSV: one question per row under the header
`kind,scoring,section_tag,question,explanation,correct,option_a,option_b,...` where `kind` is
single, multiple or true_false, `scoring` all_or_nothing, partial or weighted, and `correct` the
letters of the correct options separated by `;` (a true/false question may leave its options empty
and give `true` or `false`). Optional columns: `weights` (each option's share of the marks in
percent, separated by `;`, for weighted scoring; `correct` may then stay empty), `tags`
(separated by `;`) and `feedback_a`, `feedback_b`, ... (shown with the option after grading).

GIFT: Moodle's format, read as Moodle's importer reads it (question/format/gift/format.php).
Multiple choice (`=right ~wrong`, one answer to choose), weighted answers (`~%50%half credit`; as
in Moodle, a weight must be one of Moodle's grades),
multiple answers (no `=`: any number to choose, graded by the sum of the chosen weights),
missing-word questions (text after the answer block), true/false (`{T}`, `{FALSE#wrong#right}`),
per-answer feedback (`#...`), general feedback (`####...`, our explanation), `[plain]`-style
format markers, `::titles::` (ignored), `// [tag:name]` tags and `$CATEGORY:` (its last part is the
section tag). Questions of a type an exam cannot hold (essay, description, numerical, matching,
short answer) or whose text needs HTML or Markdown are refused, each with its line. Our own
`// scoring: all_or_nothing` or `// scoring: partial` before a multiple-answer question grades it
that way instead of by its weights.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

KINDS = ("single", "multiple", "true_false")
SCORINGS = ("all_or_nothing", "partial", "weighted")
MAX_TAG = 60
MAX_TAG_NAME = 100
MAX_OPTION = 500
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class OptionData(NamedTuple):
    text: str
    correct: bool
    # The option's share of the marks, -1 to 1, when the question's scoring is "weighted".
    fraction: Decimal | None = None
    feedback: str = ""


@dataclass
class QuestionData:
    kind: str
    text: str
    options: list[OptionData]
    scoring: str = "all_or_nothing"
    explanation: str = ""
    section_tag: str = ""
    tags: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # What an error's number counts: the file's lines (CSV, GIFT) or its questions (XML, packages);
    # 0 is the file as a whole.
    counted_by: str = "line"

    @property
    def ok(self) -> bool:
        return not self.errors


def question_problems(question: QuestionData) -> list[str]:
    """What is wrong with a question, in words an author understands (empty when it is fine)."""
    problems = []
    if question.kind not in KINDS:
        problems.append(_("unknown kind “%(kind)s” (use single, multiple or true_false)") % {"kind": question.kind})
    if question.scoring not in SCORINGS:
        problems.append(
            _("unknown scoring “%(scoring)s” (use all_or_nothing, partial or weighted)") % {"scoring": question.scoring}
        )
    if not question.text.strip():
        problems.append(_("the question text is empty"))
    if len(question.section_tag) > MAX_TAG:
        problems.append(_("the section tag is longer than %(n)d characters") % {"n": MAX_TAG})
    if any(len(tag) > MAX_TAG_NAME for tag in question.tags):
        problems.append(_("a tag is longer than %(n)d characters") % {"n": MAX_TAG_NAME})
    if len(question.options) < 2:
        problems.append(_("a question needs at least two options"))
    if any(not option.text.strip() for option in question.options):
        problems.append(_("an option is empty"))
    if any(len(option.text) > MAX_OPTION for option in question.options):
        problems.append(_("an option is longer than %(n)d characters") % {"n": MAX_OPTION})
    if question.scoring == "weighted":
        problems += _weight_problems(question)
        return problems
    if any(option.fraction is not None for option in question.options):
        problems.append(_("option weights need weighted scoring"))
    correct = sum(1 for option in question.options if option.correct)
    if question.kind in ("single", "true_false") and correct != 1:
        problems.append(_("a single-choice or true/false question needs exactly one correct option"))
    if question.kind == "true_false" and len(question.options) != 2:
        problems.append(_("a true/false question has exactly two options"))
    if question.kind == "multiple" and correct < 1:
        problems.append(_("a multiple-choice question needs at least one correct option"))
    return problems


def _weight_problems(question: QuestionData) -> list[str]:
    """Moodle's rules for weighted answers: a single-answer question has an answer worth 100%, the
    positive weights of a multiple-answer question add up to 100%. Negative weights only make
    sense where several answers are chosen."""
    fractions = [option.fraction for option in question.options]
    if question.kind == "true_false":
        return [_("a true/false question cannot have weighted scoring")]
    if any(f is None for f in fractions):
        return [_("weighted scoring needs a weight for every option")]
    problems = []
    if any(f < -1 or f > 1 for f in fractions):
        problems.append(_("a weight must lie between -100% and 100%"))
    if question.kind == "single":
        if any(f < 0 for f in fractions):
            problems.append(_("negative weights are only supported when several answers may be chosen"))
        if max(fractions) != 1:
            problems.append(_("a single-answer question needs an answer worth 100%"))
    elif abs(sum(f for f in fractions if f > 0) - 1) >= Decimal("0.005"):
        problems.append(_("the positive weights of a multiple-answer question must add up to 100%"))
    if any(option.correct != (option.fraction > 0) for option in question.options):
        problems.append(_("an option is marked correct exactly when its weight is above zero"))
    return problems


def _checked(result: ParseResult) -> ParseResult:
    for question in result.questions:
        for problem in question_problems(question):
            result.errors.append((question.line, problem))
    result.errors.sort(key=lambda error: error[0])
    return result


# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = ["kind", "scoring", "section_tag", "question", "explanation", "correct"]


def _csv_weights(cell: str, count: int) -> list[Decimal | None]:
    if not cell.strip():
        return [None] * count
    try:
        weights = [(Decimal(part.strip().rstrip("%")) / 100).quantize(FRACTION_PLACES) for part in cell.split(";")]
    except InvalidOperation:
        raise ValueError(_("“weights” must be percentages separated by ;")) from None
    if len(weights) != count:
        raise ValueError(_("“weights” needs one percentage per option"))
    return weights


def csv_parse(text: str) -> ParseResult:
    """Questions from CSV text; every row's problems are reported with its line number."""
    result = ParseResult()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        result.errors.append((1, _("the file is empty")))
        return result
    header = [name.strip().lower() for name in header]
    missing = [name for name in CSV_HEADER if name not in header]
    if missing:
        result.errors.append((1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return result
    option_columns = [i for i, name in enumerate(header) if name.startswith("option_")]
    feedback_column = {name[len("feedback_") :]: i for i, name in enumerate(header) if name.startswith("feedback_")}
    col = {name: header.index(name) for name in CSV_HEADER + ["weights", "tags"] if name in header}
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append((line, str(error)))
            break
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        kind = row[col["kind"]].strip().lower()
        shown = [(header[i][len("option_") :], row[i].strip()) for i in option_columns if row[i].strip()]
        options = [text for _letter, text in shown]
        feedback = [row[feedback_column[letter]].strip() if letter in feedback_column else "" for letter, _t in shown]
        correct_cell = row[col["correct"]].strip().lower()
        if kind == "true_false" and correct_cell in ("true", "false"):
            options = options or [_("True"), _("False")]
            feedback = feedback or ["", ""]
            correct_cell = "a" if correct_cell == "true" else "b"
        try:
            weights = _csv_weights(row[col["weights"]] if "weights" in col else "", len(options))
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        letters = [part.strip() for part in correct_cell.replace(",", ";").split(";") if part.strip()]
        if not letters and weights[:1] != [None]:
            letters = [LETTERS[i] for i, weight in enumerate(weights) if weight > 0]
        bad = [
            letter
            for letter in letters
            if len(letter) != 1 or LETTERS.find(letter) >= len(options) or letter not in LETTERS
        ]
        if bad:
            result.errors.append(
                (line, _("“correct” names options that do not exist: %(bad)s") % {"bad": ", ".join(bad)})
            )
            continue
        tags = row[col["tags"]].split(";") if "tags" in col else []
        result.questions.append(
            QuestionData(
                kind=kind,
                scoring=row[col["scoring"]].strip().lower() or "all_or_nothing",
                section_tag=row[col["section_tag"]].strip(),
                text=row[col["question"]].strip(),
                explanation=row[col["explanation"]].strip(),
                options=[
                    OptionData(option, LETTERS[i] in letters, weights[i], feedback[i])
                    for i, option in enumerate(options)
                ],
                tags=[tag.strip() for tag in tags if tag.strip()],
                line=line,
            )
        )
    if not result.questions and not result.errors:
        result.errors.append((1, _("the file has no questions")))
    return _checked(result)


def csv_dump(questions: list[QuestionData]) -> str:
    width = max((len(q.options) for q in questions), default=2)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        CSV_HEADER
        + ["weights", "tags"]
        + [f"option_{LETTERS[i]}" for i in range(width)]
        + [f"feedback_{LETTERS[i]}" for i in range(width)]
    )
    for q in questions:
        correct = ";".join(LETTERS[i].upper() for i, option in enumerate(q.options) if option.correct)
        weights = ";".join(_percent(o.fraction) for o in q.options) if q.scoring == "weighted" else ""
        pad = [""] * (width - len(q.options))
        options = [o.text for o in q.options] + pad
        feedback = [o.feedback for o in q.options] + pad
        writer.writerow(
            [q.kind, q.scoring, q.section_tag, q.text, q.explanation, correct, weights, ";".join(q.tags)]
            + options
            + feedback
        )
    return out.getvalue()


# --- GIFT -----------------------------------------------------------------------------------

# Moodle replaces escaped characters by placeholders before it parses a question and puts them
# back in each piece afterwards (qformat_gift::escapedchar_pre/post); we do the same, with
# characters from Unicode's private use area as placeholders.
_ESCAPABLE = "\\:#={}~n"
_PLACEHOLDER = {char: chr(0xE000 + i) for i, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({mark: ("\n" if char == "n" else char) for char, mark in _PLACEHOLDER.items()})
_ESCAPED = re.compile(r"\\([\\:#={}~n])")
_SPECIAL = "\\~=#{}:"
_FORMAT_PREFIX = re.compile(r"\[(html|moodle|plain|markdown)\]")
_HTML = re.compile(r"<[A-Za-z/!]|&#?\w+;")
_MARKDOWN = re.compile(r"[*_`]|\[[^\]]*\]\(|^\s*(#|>|[-+]\s|\d+\.\s)", re.MULTILINE)
# Moodle's test for a weight (qformat_gift::readquestion); the number is what lies between the %.
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]\n])*)\]")
FRACTION_PLACES = Decimal("0.0000001")


class _Refused(Exception):
    """A question Moodle reads but an exam here cannot hold with the same meaning."""


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _escape(text: str) -> str:
    """Text as GIFT writes it; `[plain]` in front where Moodle's default format would read
    markup (or a format marker) in it."""
    marker = "[plain]" if _HTML.search(text) or text.startswith("[") else ""
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return marker + text.replace("\n", "\\n")


def _formatted(raw: str, inherited: str) -> tuple[str, str]:
    """Moodle's `[html]`/`[moodle]`/`[plain]`/`[markdown]` prefix taken off a piece of text, with
    the format it names (otherwise the inherited one) and the escapes put back."""
    raw = raw.strip()
    prefix = _FORMAT_PREFIX.match(raw)
    if prefix:
        raw, inherited = raw[prefix.end() :], prefix.group(1)
    return _restore(raw).strip(), inherited


def _plain(raw: str, inherited: str, what: str) -> str:
    """The text of a piece as candidates will read it, refused where Moodle would render markup
    (HTML in the html and moodle formats, Markdown in markdown) that shows here as typed."""
    text, fmt = _formatted(raw, inherited)
    if fmt in ("html", "moodle", "markdown") and _HTML.search(text):
        raise _Refused(
            _("the %(what)s is formatted with HTML, which is not supported: write it as plain text") % {"what": what}
        )
    if fmt == "markdown" and _MARKDOWN.search(text):
        raise _Refused(
            _("the %(what)s is formatted with Markdown, which is not supported: write it as plain text")
            % {"what": what}
        )
    return text


# question_bank::fraction_options_full(): the grades Moodle accepts for an answer, whatever the
# file's format (qformat_default::importprocess refuses the others).
MOODLE_GRADES = [
    Decimal(g)
    for g in (
        "1", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4", "0.3333333",
        "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111", "0.1", "0.05", "0",
    )
]  # fmt: skip
MOODLE_GRADES += [-g for g in MOODLE_GRADES if g]


def moodle_grade(fraction: Decimal) -> Decimal | None:
    """The Moodle grade `fraction` stands for (match_grade_options(): within 0.00000005), or None."""
    return next((grade for grade in MOODLE_GRADES if abs(fraction - grade) < Decimal("0.00000005")), None)


def _fraction(answer: str) -> tuple[Decimal, str]:
    """Moodle's `%50%` weight at the start of an answer, as a fraction, and the rest; refused,
    as Moodle refuses it, when it is not one of Moodle's grades."""
    end = answer.index("%", 1)
    try:
        fraction = moodle_grade(Decimal(answer[1:end]) / 100)
    except InvalidOperation:
        raise _Refused(_("the weight “%(weight)s” is not a number") % {"weight": answer[: end + 1]}) from None
    if fraction is None:
        raise _Refused(
            _("the weight %(weight)s is not one of Moodle's grades (such as 50%% or 33.33333%%)")
            % {"weight": answer[: end + 1]}
        )
    return fraction, answer[end + 1 :]


def _unsupported(kind: str) -> _Refused:
    return _Refused(_("%(kind)s questions are not supported by exams here") % {"kind": kind})


def _gift_question(block: str, line: int, tag: str, scoring: str | None, tags: list[str]) -> QuestionData:
    """One GIFT question read the way Moodle's importer reads it, or `_Refused` saying why it
    cannot be held here with the same meaning."""
    text = _ESCAPED.sub(lambda m: _PLACEHOLDER[m.group(1)], block.strip())
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Refused(_("the question title is not closed with ::"))
        text = text[end + 2 :].strip()
    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        raise _unsupported(_("Description (text without an answer block)"))
    if opening < 0 or closing < opening:
        raise _Refused(_("the answer block {…} is not opened and closed properly"))
    if text.count("{") > 1 or text.count("}") > 1:
        raise _Refused(_("a question has one answer block {…}; escape other braces as \\{ and \\}"))
    answers = text[opening + 1 : closing].strip()
    # As in Moodle, text after the answer block makes a missing-word question: a blank stands
    # where the answers were.
    after = text[closing + 1 :]
    stem_raw = text[:opening] + ("_____" + after if after.strip() else "")
    general = answers.rfind("####")
    explanation_raw = ""
    if general >= 0:
        explanation_raw, answers = answers[general + 4 :], answers[:general].strip()
    head = answers[: answers.find("#")].strip() if answers.find("#") > 0 else answers
    if not answers:
        raise _unsupported(_("Essay"))
    if answers.startswith("#"):
        raise _unsupported(_("Numerical"))
    if "~" not in answers and "=" in answers and "->" in answers:
        raise _unsupported(_("Matching"))
    if "~" not in answers and head not in ("T", "TRUE", "F", "FALSE"):
        raise _unsupported(_("Short-answer"))
    _stem, text_format = _formatted(stem_raw, "moodle")
    stem = _plain(stem_raw, "moodle", _("question text"))
    explanation = _plain(explanation_raw, text_format, _("general feedback"))

    def piece(raw: str, what: str) -> str:
        return _plain(raw, text_format, what)

    common = {"text": stem, "explanation": explanation, "section_tag": tag, "line": line, "tags": tags}
    if "~" in answers:
        return _gift_choice(answers, scoring, piece, common)
    bits = answers.split("#", 2) + ["", ""]
    is_true = piece(bits[0], _("answer")) in ("T", "TRUE")
    wrong, right = piece(bits[1], _("feedback")), piece(bits[2], _("feedback"))
    return QuestionData(
        kind="true_false",
        options=[
            OptionData(_("True"), is_true, feedback=right if is_true else wrong),
            OptionData(_("False"), not is_true, feedback=wrong if is_true else right),
        ],
        **common,
    )


def _gift_choice(answers: str, scoring: str | None, piece, common: dict) -> QuestionData:
    """A Moodle multichoice question: one answer to choose when any answer starts with `=`,
    otherwise any number, graded by the answers' weights."""
    single = "=" in answers
    parts = answers.replace("=", "~=").split("~")
    if parts[0].strip():
        raise _Refused(_("answers must start with = or ~"))
    parts = parts[1:]
    if len(parts) < 2:
        raise _Refused(_("a multiple-choice question needs at least two answers"))
    options = []
    for part in parts:
        part = part.strip()
        if part.startswith("="):
            fraction, part = Decimal(1), part[1:]
            if _WEIGHT.match(part.strip()):
                raise _Refused(
                    _("a weight after = is read by Moodle as answer text: write %(example)s instead")
                    % {"example": "~%50%answer"}
                )
        elif _WEIGHT.match(part):
            fraction, part = _fraction(part)
        else:
            fraction = Decimal(0)
        answer, _hash, feedback = part.partition("#")
        options.append(OptionData(piece(answer, _("answer")), fraction > 0, fraction, piece(feedback, _("feedback"))))
    fractions = [option.fraction for option in options]
    if single and fractions.count(1) == 1 and all(f in (0, 1) for f in fractions):
        return QuestionData(kind="single", options=[o._replace(fraction=None) for o in options], **common)
    if not single and scoring:
        return QuestionData(
            kind="multiple", scoring=scoring, options=[o._replace(fraction=None) for o in options], **common
        )
    return QuestionData(kind="single" if single else "multiple", scoring="weighted", options=options, **common)


def gift_parse(text: str) -> ParseResult:
    """Questions from GIFT text, each with the meaning Moodle gives it; a question that cannot
    keep that meaning here is refused with the line it starts on."""
    result = ParseResult()
    tag, scoring = "", None
    block: list[str] = []
    comments: list[str] = []
    block_line = 0

    def flush():
        nonlocal block, comments, scoring
        if block:
            # As Moodle reads them: `[tag:name]` anywhere in the question's comments, `\]` for a ].
            tags = [t.replace("\\]", "]").strip() for t in _TAG.findall("\n".join(comments))]
            try:
                result.questions.append(
                    _gift_question("\n".join(block), block_line, tag, scoring, [t for t in tags if t])
                )
            except _Refused as refusal:
                result.errors.append((block_line, str(refusal)))
            scoring = None
        block, comments = [], []

    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = line.strip()
        if line.startswith("//"):
            # Moodle blanks a comment inside a question rather than dropping the line.
            if block:
                block.append(" ")
            comments.append(line[2:])
            directive = re.match(r"//\s*scoring:\s*(\w+)", line)
            if directive and not block:
                scoring = directive.group(1).lower()
                if scoring not in ("all_or_nothing", "partial"):
                    result.errors.append((number, _("unknown scoring “%(scoring)s”") % {"scoring": scoring}))
                    scoring = None
            continue
        if not line:
            flush()
            comments = []
            continue
        if line.startswith("$CATEGORY:") and not block:
            tag = line.split(":", 1)[1].strip().split("/")[-1].strip()
            comments = []
            continue
        if not block:
            block_line = number
        # Moodle trims every line before it reads a question.
        block.append(line)
    flush()
    if not result.questions and not result.errors:
        result.errors.append((1, _("the file has no questions")))
    return _checked(result)


def gift_dump(questions: list[QuestionData]) -> str:
    """GIFT that Moodle and `gift_parse` read back as the same questions. Multiple-answer
    questions graded all or nothing, or by our partial credit, carry a `// scoring:` line; their
    weights are Moodle's equivalent of partial credit."""
    chunks, tag = [], None
    for q in questions:
        lines = []
        if q.section_tag != tag:
            tag = q.section_tag
            lines.append(f"$CATEGORY: {tag}\n")
        if q.tags:
            lines.append("// " + " ".join(f"[tag:{t.replace(']', chr(92) + ']')}]" for t in q.tags))
        if q.kind == "multiple" and q.scoring != "weighted":
            lines.append(f"// scoring: {q.scoring}")
        explanation = f" ####{_escape(q.explanation)}" if q.explanation else ""
        if q.kind == "true_false":
            true, false = _true_and_false(q)
            right, wrong = (true, false) if true.correct else (false, true)
            feedback = ""
            if wrong.feedback or right.feedback:
                feedback = f"#{_escape(wrong.feedback)}" + (f"#{_escape(right.feedback)}" if right.feedback else "")
            answers = ("T" if true.correct else "F") + feedback
        else:
            answers = " ".join(
                _gift_weight(q, o) + _escape(o.text) + (f"#{_escape(o.feedback)}" if o.feedback else "")
                for o in q.options
            )
        lines.append(f"{_escape(q.text)} {{{answers}{explanation}}}")
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


def _true_and_false(question: QuestionData) -> tuple[OptionData, OptionData]:
    """The options of a true/false question that read "true" and "false", in that order."""
    true_words = {"true", "t", str(_("True")).lower()}
    first, second = question.options
    if second.text.strip().lower() in true_words and first.text.strip().lower() not in true_words:
        return second, first
    return first, second


def _gift_weight(question: QuestionData, option: OptionData) -> str:
    if question.scoring == "weighted":
        if question.kind == "single" and option.fraction == 1:
            return "="
        return f"~%{_percent(option.fraction)}%" if option.fraction else "~"
    if question.kind == "single":
        return "=" if option.correct else "~"
    right = sum(1 for o in question.options if o.correct) or 1
    return f"~%{_percent(Decimal(1) / right)}%" if option.correct else f"~%{_percent(Decimal(-1) / right)}%"


def _percent(fraction: Decimal) -> str:
    return format((fraction * 100).quantize(Decimal("0.00001")).normalize(), "f")
