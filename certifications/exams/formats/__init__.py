"""The question formats an author may import and export: CSV and GIFT
(`certifications.exams.question_formats`), Moodle XML (`moodle_xml`) and QTI packages (`qti`).
Each is a parser (text or bytes to `ParseResult`) and a writer (questions to the file's bytes)."""

from collections.abc import Callable
from typing import NamedTuple

from certifications.exams import question_formats
from certifications.exams.formats import moodle_xml, qti

# The largest package accepted for import, zipped.
MAX_PACKAGE_BYTES = 20 * 2**20


class Format(NamedTuple):
    label: str
    parse: Callable[[str | bytes], question_formats.ParseResult]
    dump: Callable[[list[question_formats.QuestionData]], str | bytes]
    content_type: str
    extension: str
    # A package is read as bytes (a zip); the others are text, pasted or uploaded.
    binary: bool = False


FORMATS = {
    "csv": Format("CSV", question_formats.csv_parse, question_formats.csv_dump, "text/csv; charset=utf-8", "csv"),
    "gift": Format(
        "GIFT (Moodle)",
        question_formats.gift_parse,
        question_formats.gift_dump,
        "text/plain; charset=utf-8",
        "gift.txt",
    ),
    "moodle_xml": Format(
        "Moodle XML", moodle_xml.moodle_xml_parse, moodle_xml.moodle_xml_dump, "application/xml; charset=utf-8", "xml"
    ),
    "qti": Format(
        "QTI 3.0 package (QTI 2.1 too on import)", qti.qti_parse, qti.qti_dump, "application/zip", "qti.zip", True
    ),
}
