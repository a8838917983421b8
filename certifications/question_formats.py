"""Questions as text: CSV and Moodle GIFT, both ways. Pure functions over `QuestionData`; the
service that writes them is `certifications.services.questions_import`.

CSV: one question per row under the header
`kind,scoring,section_tag,question,explanation,correct,option_a,option_b,...` where `kind` is
single, multiple or true_false, `scoring` all_or_nothing or partial, and `correct` the letters of
the correct options separated by `;` (a true/false question may leave its options empty and give
`true` or `false`).

GIFT (Moodle's format, the subset that fits our kinds): `$CATEGORY: <tag>` sets the section tag
of the questions that follow; `::name::` titles are accepted and ignored; `{T}` / `{F}` is true or
false; `=right ~wrong` single choice; `~%50%right ~%-50%wrong` multiple choice (partial credit, as
in Moodle, unless a `// scoring: all_or_nothing` comment precedes the question); `####text` is the
explanation.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

KINDS = ("single", "multiple", "true_false")
SCORINGS = ("all_or_nothing", "partial")
MAX_TAG = 60
MAX_OPTION = 500
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class QuestionData:
    kind: str
    text: str
    options: list[tuple[str, bool]]
    scoring: str = "all_or_nothing"
    explanation: str = ""
    section_tag: str = ""
    line: int = 0


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

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
            _("unknown scoring “%(scoring)s” (use all_or_nothing or partial)") % {"scoring": question.scoring}
        )
    if not question.text.strip():
        problems.append(_("the question text is empty"))
    if len(question.section_tag) > MAX_TAG:
        problems.append(_("the section tag is longer than %(n)d characters") % {"n": MAX_TAG})
    if len(question.options) < 2:
        problems.append(_("a question needs at least two options"))
    if any(not text.strip() for text, _correct in question.options):
        problems.append(_("an option is empty"))
    if any(len(text) > MAX_OPTION for text, _correct in question.options):
        problems.append(_("an option is longer than %(n)d characters") % {"n": MAX_OPTION})
    correct = sum(1 for _text, is_correct in question.options if is_correct)
    if question.kind in ("single", "true_false") and correct != 1:
        problems.append(_("a single-choice or true/false question needs exactly one correct option"))
    if question.kind == "true_false" and len(question.options) != 2:
        problems.append(_("a true/false question has exactly two options"))
    if question.kind == "multiple" and correct < 1:
        problems.append(_("a multiple-choice question needs at least one correct option"))
    return problems


def _checked(result: ParseResult) -> ParseResult:
    for question in result.questions:
        for problem in question_problems(question):
            result.errors.append((question.line, problem))
    result.errors.sort(key=lambda error: error[0])
    return result


# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = ["kind", "scoring", "section_tag", "question", "explanation", "correct"]


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
    col = {name: header.index(name) for name in CSV_HEADER}
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
        options = [row[i].strip() for i in option_columns if i < len(row) and row[i].strip()]
        correct_cell = row[col["correct"]].strip().lower()
        if kind == "true_false" and correct_cell in ("true", "false"):
            options = options or [_("True"), _("False")]
            correct_cell = "a" if correct_cell == "true" else "b"
        letters = [part.strip() for part in correct_cell.replace(",", ";").split(";") if part.strip()]
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
        result.questions.append(
            QuestionData(
                kind=kind,
                scoring=row[col["scoring"]].strip().lower() or "all_or_nothing",
                section_tag=row[col["section_tag"]].strip(),
                text=row[col["question"]].strip(),
                explanation=row[col["explanation"]].strip(),
                options=[(option, LETTERS[i] in letters) for i, option in enumerate(options)],
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
    writer.writerow(CSV_HEADER + [f"option_{LETTERS[i]}" for i in range(width)])
    for q in questions:
        correct = ";".join(LETTERS[i].upper() for i, (_text, ok) in enumerate(q.options) if ok)
        options = [text for text, _ok in q.options] + [""] * (width - len(q.options))
        writer.writerow([q.kind, q.scoring, q.section_tag, q.text, q.explanation, correct, *options])
    return out.getvalue()


# --- GIFT -----------------------------------------------------------------------------------

_SPECIAL = "~=#{}:"
_ESCAPED = re.compile(r"\\([~=#{}:n\\])")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text).strip()


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split `text` at unescaped marker characters, returning (marker, chunk) pairs."""
    parts, current, marker, i = [], [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char in markers:
            if current or marker:
                parts.append((marker, "".join(current)))
            marker, current = char, []
        else:
            current.append(char)
        i += 1
    parts.append((marker, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _gift_question(block: str, line: int, tag: str, scoring: str) -> QuestionData | str:
    """One GIFT question, or the reason it cannot be read."""
    opening = _find_unescaped(block, "{")
    closing = _find_unescaped(block, "}", opening + 1) if opening >= 0 else -1
    if opening < 0 or closing < 0:
        return _("no answer block {…} found")
    if block[closing + 1 :].strip():
        return _("text after the answer block is not supported")
    stem = block[:opening].strip()
    if stem.startswith("::"):
        end = stem.find("::", 2)
        if end < 0:
            return _("the question title is not closed with ::")
        stem = stem[end + 2 :]
    stem = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", stem.strip())
    body = block[opening + 1 : closing]
    explanation = ""
    general = body.find("####")
    if general >= 0:
        explanation, body = _unescape(body[general + 4 :]), body[:general]
    head = _split_unescaped(body.strip(), "#")[0][1].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        is_true = head.startswith("T")
        return QuestionData(
            kind="true_false",
            text=_unescape(stem),
            options=[(_("True"), is_true), (_("False"), not is_true)],
            explanation=explanation,
            section_tag=tag,
            line=line,
        )
    options: list[tuple[str, bool]] = []
    weighted = False
    for marker, chunk in _split_unescaped(body, "=~"):
        if not marker:
            if chunk.strip():
                return _("answers must start with = or ~")
            continue
        text = _split_unescaped(chunk, "#")[0][1]
        weight = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", text)
        if weight:
            weighted = True
            text = text[weight.end() :]
            correct = float(weight.group(1)) > 0
        else:
            correct = marker == "="
        if "->" in text:
            return _("matching questions are not supported")
        options.append((_unescape(text), correct))
    if not options:
        return _("the answer block is empty")
    correct_count = sum(1 for _text, ok in options if ok)
    kind = "multiple" if weighted or correct_count > 1 else "single"
    return QuestionData(
        kind=kind,
        scoring=scoring if kind == "multiple" else "all_or_nothing",
        text=_unescape(stem),
        options=options,
        explanation=explanation,
        section_tag=tag,
        line=line,
    )


def gift_parse(text: str) -> ParseResult:
    """Questions from GIFT text; each problem is reported with the line its question starts on."""
    result = ParseResult()
    tag, scoring = "", "partial"
    block: list[str] = []
    block_line = 0

    def flush():
        nonlocal block, scoring
        if block:
            parsed = _gift_question("\n".join(block), block_line, tag, scoring)
            if isinstance(parsed, str):
                result.errors.append((block_line, parsed))
            else:
                result.questions.append(parsed)
            scoring = "partial"
        block = []

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = raw.strip()
        if line.startswith("//"):
            directive = re.match(r"//\s*scoring:\s*(\w+)", line)
            if directive and not block:
                scoring = directive.group(1).lower()
                if scoring not in SCORINGS:
                    result.errors.append((number, _("unknown scoring “%(scoring)s”") % {"scoring": scoring}))
                    scoring = "partial"
            continue
        if not line:
            flush()
            continue
        if line.startswith("$CATEGORY:") and not block:
            tag = line.split(":", 1)[1].strip().split("/")[-1].strip()
            continue
        if not block:
            block_line = number
        block.append(raw)
    flush()
    if not result.questions and not result.errors:
        result.errors.append((1, _("the file has no questions")))
    return _checked(result)


def gift_dump(questions: list[QuestionData]) -> str:
    chunks, tag = [], None
    for q in questions:
        lines = []
        if q.section_tag != tag:
            tag = q.section_tag
            lines.append(f"$CATEGORY: {tag}\n")
        if q.kind == "multiple" and q.scoring == "all_or_nothing":
            lines.append("// scoring: all_or_nothing")
        explanation = f" ####{_escape(q.explanation)}" if q.explanation else ""
        if q.kind == "true_false":
            answer = "T" if _true_is_correct(q) else "F"
            lines.append(f"{_escape(q.text)} {{{answer}{explanation}}}")
        elif q.kind == "single":
            answers = " ".join(("=" if ok else "~") + _escape(text) for text, ok in q.options)
            lines.append(f"{_escape(q.text)} {{{answers}{explanation}}}")
        else:
            right = sum(1 for _text, ok in q.options if ok) or 1
            wrong = (len(q.options) - right) or 1
            answers = " ".join(
                f"~%{_percent(100 / right) if ok else _percent(-100 / wrong)}%{_escape(text)}" for text, ok in q.options
            )
            lines.append(f"{_escape(q.text)} {{{answers}{explanation}}}")
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


def _true_is_correct(question: QuestionData) -> bool:
    """Whether the correct option of a true/false question is the one that reads "true"."""
    true_words = {"true", "t", str(_("True")).lower()}
    return any(ok and text.strip().lower() in true_words for text, ok in question.options)


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")
