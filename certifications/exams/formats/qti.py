"""QTI item packages: QTI 3.0 export and import, QTI 2.1 (and 2.2) import.

A package is a zip with `imsmanifest.xml` listing its items, one assessment item per file. Held
here: items with one choice interaction (one answer or several) scored by the standard
`match_correct` template (our all-or-nothing scoring) or `map_response` (our option weights: each
option's mapped value over the item's top score, kept only where that share is exact). Tags and
the section tag travel as the manifest's LOM keywords and classification.

Our own export adds what templates cannot say, and only our import reads it back: per-option
feedback (inline feedback in each choice), the explanation (modal feedback shown after
response processing), and partial credit (the class `pa-scoring-partial` on the interaction,
whose map gives other tools the same marks). Their response processing is the templates' rules
written out with the FEEDBACK outcome set, so other players show the feedback too.

Refused, each with its position in the manifest and its title: text entry (short answer),
matching and every other interaction, several interactions, adaptive or templated items,
custom response processing and conditional feedback from other tools, markup other than
paragraphs and line breaks, a choice limit other than one or all, and weights not exact.
A broken package (not a zip, too large when unpacked, a path leaving the package, no manifest,
a missing item file) is refused as a whole with one clear error.
"""

import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from html import escape
from xml.etree import ElementTree

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from certifications.exams.formats.html_text import MarkupRefused, plain_from_html
from certifications.exams.question_formats import (
    FRACTION_PLACES,
    LETTERS,
    OptionData,
    ParseResult,
    QuestionData,
    _true_and_false,
    question_problems,
)

QTI3 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP3 = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
ITEM_TYPES = ("imsqti_item_xmlv3p0", "imsqti_item_xmlv2p1", "imsqti_item_xmlv2p2")
TOOL = "Partner Academy"
PARTIAL_CLASS = "pa-scoring-partial"
TRUE_FALSE_CLASS = "pa-true-false"
MAX_UNPACKED_BYTES = 100 * 2**20
MAX_ENTRIES = 5000
SECTION_SOURCE = "section"
_QTI_NAMES = {"value", "mapping", "prompt"}


class _Refused(Exception):
    """An item that an exam here cannot hold with the same meaning, or a broken package."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _qti_name(name: str) -> str:
    """A QTI 2.x element or attribute name in QTI 3.0's spelling (`choiceInteraction` is
    `qti-choice-interaction`, `maxChoices` is `max-choices`); HTML names stay as they are."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def _normalised(element, qti2: bool) -> ElementTree.Element:
    """A copy of an item tree with namespaces dropped and QTI 2.x names in QTI 3.0's spelling,
    so one reader serves both."""
    name = _local(element.tag)
    if qti2 and (name != name.lower() or name in _QTI_NAMES):
        name = "qti-" + _qti_name(name)
    attrs = {(_qti_name(_local(k)) if qti2 else _local(k)): v for k, v in element.attrib.items()}
    copy = ElementTree.Element(name, attrs)
    copy.text, copy.tail = element.text, element.tail
    copy.extend(_normalised(child, qti2) for child in element)
    return copy


def _plain(element, what: str, skip=()) -> str:
    if element is None:
        return ""
    try:
        return plain_from_html(_escaped_markup(element, skip))
    except MarkupRefused as refusal:
        raise _Refused(_("the %(what)s: %(why)s") % {"what": what, "why": refusal}) from None


def _escaped_markup(element, skip=()) -> str:
    """The content of an element as HTML, its text escaped again so the HTML reader sees it
    exactly as written."""
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        if child not in skip:
            parts.append(f"<{child.tag}>{_escaped_markup(child, skip)}</{child.tag}>")
        parts.append(escape(child.tail or "", quote=False))
    return "".join(parts)


def _decimal(raw: str | None, default: Decimal | None = None) -> Decimal | None:
    if raw is None or not raw.strip():
        return default
    try:
        value = Decimal(raw.strip())
        if not value.is_finite():
            raise InvalidOperation
        return value
    except InvalidOperation:
        raise _Refused(_("“%(value)s” is not a number") % {"value": raw}) from None


def _interaction_name(tag: str) -> str:
    names = {
        "qti-text-entry-interaction": _("Text entry (short answer)"),
        "qti-extended-text-interaction": _("Extended text (essay)"),
        "qti-match-interaction": _("Matching"),
        "qti-inline-choice-interaction": _("Inline choice"),
        "qti-order-interaction": _("Ordering"),
        "qti-associate-interaction": _("Associate"),
        "qti-gap-match-interaction": _("Gap match"),
        "qti-hottext-interaction": _("Hot text"),
        "qti-upload-interaction": _("File upload"),
    }
    return names.get(tag, tag.removeprefix("qti-"))


def _scores(declaration, choices: list[str]) -> tuple[list[Decimal] | None, set[str]]:
    """Each choice's share of the item's top score from the response's map (None without a
    map), and the identifiers of the correct response."""
    correct = {value.text.strip() for value in declaration.iter("qti-value") if value.text}
    mapping = declaration.find("qti-mapping")
    if mapping is None:
        return None, correct
    default = _decimal(mapping.get("default-value"), Decimal(0))
    mapped = {entry.get("map-key"): _decimal(entry.get("mapped-value")) for entry in mapping.iter("qti-map-entry")}
    values = [mapped.get(choice, default) for choice in choices]
    lower = _decimal(mapping.get("lower-bound"))
    if (lower is None and any(v < 0 for v in values)) or (lower is not None and lower != 0):
        raise _Refused(_("a score that may fall below zero is not supported (set the map's lower bound to 0)"))
    single = declaration.get("cardinality") == "single"
    top = _decimal(mapping.get("upper-bound")) or (max(values) if single else sum(v for v in values if v > 0))
    if not top or top <= 0:
        raise _Refused(_("no answer scores above zero"))
    fractions = []
    for value in values:
        fraction = (value / top).quantize(FRACTION_PLACES)
        if fraction * top != value:
            raise _Refused(
                _("the score %(value)s out of %(top)s is not an exact share of the marks")
                % {"value": value, "top": top}
            )
        fractions.append(fraction)
    return fractions, correct


def _item_question(root, qti2: bool, tags: list[str], section_tag: str, position: int) -> QuestionData:
    item = _normalised(root, qti2)
    if item.tag != "qti-assessment-item":
        raise _Refused(_("the file is not an assessment item"))
    ours = item.get("tool-name") == TOOL
    if item.get("adaptive") == "true":
        raise _Refused(_("adaptive items are not supported"))
    if item.find("qti-template-declaration") is not None:
        raise _Refused(_("items with templates (generated values) are not supported"))
    body = item.find("qti-item-body")
    interactions = [e for e in (body.iter() if body is not None else []) if e.tag.endswith("-interaction")]
    if len(interactions) != 1:
        if not interactions:
            raise _Refused(_("the item has no interaction"))
        raise _Refused(_("an item with several interactions is not supported"))
    [interaction] = interactions
    if interaction.tag != "qti-choice-interaction":
        kind = _interaction_name(interaction.tag)
        raise _Refused(_("%(kind)s questions are not supported by exams here") % {"kind": kind})
    if interaction not in list(body):
        raise _Refused(_("a choice interaction inside other content is not supported"))
    declaration = next(
        (
            d
            for d in item.iter("qti-response-declaration")
            if d.get("identifier") == interaction.get("response-identifier")
        ),
        None,
    )
    if declaration is None or declaration.get("base-type") != "identifier":
        raise _Refused(_("the interaction's response is not declared"))
    modal = item.findall("qti-modal-feedback")
    if not ours and (modal or list(item.iter("qti-feedback-inline")) or list(item.iter("qti-feedback-block"))):
        raise _Refused(_("feedback shown on conditions is not supported"))
    rp = item.find("qti-response-processing")
    template = (rp.get("template", "") if rp is not None else "").removesuffix(".xml")
    if template.endswith("match_correct"):
        rule = "match_correct"
    elif template.endswith("map_response"):
        rule = "map_response"
    elif ours and rp is not None:
        rule = "map_response" if declaration.find("qti-mapping") is not None else "match_correct"
    else:
        raise _Refused(_("only the standard match_correct and map_response scoring is supported"))

    choices = list(interaction.iter("qti-simple-choice"))
    identifiers = [choice.get("identifier") for choice in choices]
    fractions, correct = _scores(declaration, identifiers)
    if rule == "map_response" and fractions is None:
        raise _Refused(_("map_response scoring needs a map of scores"))
    single = declaration.get("cardinality") == "single"
    max_choices = int(_decimal(interaction.get("max-choices"), Decimal(1 if qti2 else 0)))
    if single != (max_choices == 1) or (not single and max_choices not in (0, len(choices))):
        raise _Refused(_("a limit of %(n)d choices is not supported (one, or any number)") % {"n": max_choices})

    options = []
    for choice, fraction in zip(choices, fractions or [None] * len(choices), strict=True):
        inline = list(choice.iter("qti-feedback-inline"))
        is_correct = fraction > 0 if rule == "map_response" else choice.get("identifier") in correct
        options.append(
            OptionData(
                _plain(choice, _("answer"), skip=inline),
                is_correct,
                fraction if rule == "map_response" else None,
                " ".join(_plain(f, _("feedback")) for f in inline),
            )
        )
    prompt = interaction.find("qti-prompt")
    before = _plain(body, _("question text"), skip=[interaction])
    text = "\n\n".join(part for part in (before, _plain(prompt, _("question text"))) if part)
    scoring = "weighted" if rule == "map_response" else "all_or_nothing"
    if ours and not single and PARTIAL_CLASS in (interaction.get("class") or "").split():
        scoring, options = "partial", [o._replace(fraction=None) for o in options]
    fractions = [o.fraction for o in options]
    if single and scoring == "weighted" and fractions.count(1) == 1 and all(f in (0, 1) for f in fractions):
        scoring, options = "all_or_nothing", [o._replace(fraction=None) for o in options]
    bodies = [f if f.find("qti-content-body") is None else f.find("qti-content-body") for f in modal]
    explanation = " ".join(_plain(f, _("explanation")) for f in bodies)
    classes = (interaction.get("class") or "").split() if ours else []
    kind = "single" if single else "multiple"
    if TRUE_FALSE_CLASS in classes and scoring == "all_or_nothing" and len(options) == 2:
        kind = "true_false"
    return QuestionData(
        kind=kind,
        scoring=scoring,
        text=text,
        explanation=explanation,
        section_tag=section_tag,
        tags=tags,
        options=options,
        line=position,
    )


def _safe_names(archive: zipfile.ZipFile) -> set[str]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _Refused(_("the package holds more than %(n)d files") % {"n": MAX_ENTRIES})
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _Refused(_("the package is larger than %(mb)d MB unpacked") % {"mb": MAX_UNPACKED_BYTES // 2**20})
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or ":" in name:
            raise _Refused(_("the package holds a path outside it (%(name)s)") % {"name": name})
    return {info.filename for info in infos}


def _resolve(base: str, href: str) -> str:
    parts = []
    for part in (base + href).split("/"):
        if part == "..":
            if not parts:
                raise _Refused(_("the manifest names a file outside the package (%(href)s)") % {"href": href})
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _parse_xml(data: bytes, name: str):
    try:
        return defusedxml.ElementTree.fromstring(data)
    except DefusedXmlException:
        raise _Refused(_("%(name)s declares XML entities or a DTD, which are refused") % {"name": name}) from None
    except ElementTree.ParseError as error:
        raise _Refused(_("%(name)s is not well-formed XML (%(error)s)") % {"name": name, "error": error}) from None


def _metadata(resource) -> tuple[list[str], str]:
    """Tags (LOM keywords) and the section tag (a LOM classification whose source is
    "section") of a manifest resource, in QTI 3.0's or 2.1's LOM."""
    tags, section_tag = [], ""
    for element in resource.iter():
        name = _local(element.tag)
        if name == "keyword":
            tags += [t.text.strip() for t in element.iter() if _local(t.tag) in ("string", "langstring") and t.text]
        elif name == "taxonPath":
            source = " ".join(t.text or "" for t in element.iter() if _local(t.tag) in ("string", "langstring"))
            entries = [t for t in element.iter() if _local(t.tag) == "entry"]
            if source.startswith(SECTION_SOURCE) and entries:
                section_tag = " ".join(t.text or "" for t in entries[-1].iter() if t.text and t.text.strip()).strip()
    return [t for t in tags if t], section_tag


def qti_parse(source: str | bytes) -> ParseResult:
    """Questions from a QTI 3.0, 2.2 or 2.1 package (a zip), each with the meaning its scoring
    gives it; an item that cannot keep it is refused with its position in the manifest."""
    result = ParseResult(counted_by="question")
    data = source.encode() if isinstance(source, str) else source
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = _safe_names(archive)
        manifest_name = "imsmanifest.xml"
        if manifest_name not in names:
            raise _Refused(_("the package has no imsmanifest.xml at its top level"))
        manifest = _parse_xml(archive.read(manifest_name), manifest_name)
        resources = [r for r in manifest.iter() if _local(r.tag) == "resource" and r.get("type", "") in ITEM_TYPES]
        if not resources:
            raise _Refused(_("the manifest lists no assessment items"))
        planned = []
        for resource in resources:
            href = resource.get("href") or ""
            base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
            path = _resolve(base, href)
            if path not in names:
                raise _Refused(_("the manifest names %(href)s, which is not in the package") % {"href": href})
            planned.append((resource, path))
    except zipfile.BadZipFile:
        result.errors.append((0, _("the file is not a zip package")))
        return result
    except _Refused as refusal:
        result.errors.append((0, str(refusal)))
        return result
    for position, (resource, path) in enumerate(planned, 1):
        title = path
        try:
            root = _parse_xml(archive.read(path), path)
            title = root.get("title") or path
            qti2 = not root.tag.startswith("{" + QTI3)
            tags, section_tag = _metadata(resource)
            question = _item_question(root, qti2, tags, section_tag, position)
            problems = question_problems(question)
        except _Refused as refusal:
            problems = [str(refusal)]
        if problems:
            result.errors += [(position, f"“{title}” ({path}): {problem}") for problem in problems]
        else:
            result.questions.append(question)
    return result


def _sub(parent, tag: str, attrs: dict | None = None, text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attrs or {})
    element.text = text
    return element


def _lines(parent, text: str) -> None:
    """Plain text into an element, its line breaks as <br/>."""
    first, *rest = text.split("\n")
    parent.text = first
    for line in rest:
        _sub(parent, "br").tail = line


def _set_outcome(parent, identifier: str, value) -> None:
    outcome = _sub(parent, "qti-set-outcome-value", {"identifier": identifier})
    outcome.append(value)


def _response_processing(item, weighted: bool) -> None:
    """match_correct or map_response written out, then FEEDBACK set to the chosen answers."""
    rp = _sub(item, "qti-response-processing")
    condition = _sub(rp, "qti-response-condition")
    if weighted:
        branch = _sub(condition, "qti-response-if")
        _sub(_sub(branch, "qti-is-null"), "qti-variable", {"identifier": "RESPONSE"})
        _set_outcome(branch, "SCORE", _float(0))
        otherwise = _sub(condition, "qti-response-else")
        _set_outcome(otherwise, "SCORE", ElementTree.Element("qti-map-response", {"identifier": "RESPONSE"}))
    else:
        branch = _sub(condition, "qti-response-if")
        match = _sub(branch, "qti-match")
        _sub(match, "qti-variable", {"identifier": "RESPONSE"})
        _sub(match, "qti-correct", {"identifier": "RESPONSE"})
        _set_outcome(branch, "SCORE", _float(1))
        _set_outcome(_sub(condition, "qti-response-else"), "SCORE", _float(0))
    _set_outcome(rp, "FEEDBACK", ElementTree.Element("qti-variable", {"identifier": "RESPONSE"}))


def _float(value) -> ElementTree.Element:
    element = ElementTree.Element("qti-base-value", {"base-type": "float"})
    element.text = str(value)
    return element


def _choice_scores(question: QuestionData) -> list[Decimal] | None:
    """The map written for an item: the weights, or for partial credit an equal share per
    correct answer and as much off per wrong one (which is how partial credit grades)."""
    if question.scoring == "weighted":
        return [option.fraction for option in question.options]
    if question.scoring == "partial" and question.kind == "multiple":
        right = sum(1 for option in question.options if option.correct) or 1
        return [Decimal(1 if o.correct else -1) / right for o in question.options]
    return None


def _item(question: QuestionData, identifier: str) -> bytes:
    if question.kind == "true_false":
        true, false = _true_and_false(question)
        options = [true, false]
    else:
        options = question.options
    item = ElementTree.Element(
        "qti-assessment-item",
        {
            "xmlns": QTI3,
            "identifier": identifier,
            "title": " ".join(question.text.split())[:100],
            "adaptive": "false",
            "time-dependent": "false",
            "tool-name": TOOL,
        },
    )
    single = question.kind != "multiple"
    declaration = _sub(
        item,
        "qti-response-declaration",
        {"identifier": "RESPONSE", "cardinality": "single" if single else "multiple", "base-type": "identifier"},
    )
    correct = _sub(declaration, "qti-correct-response")
    for letter, option in zip(LETTERS.upper(), options, strict=False):
        if option.correct:
            _sub(correct, "qti-value", text=letter)
    scores = _choice_scores(question)
    if scores is not None:
        mapping = _sub(declaration, "qti-mapping", {"lower-bound": "0", "upper-bound": "1", "default-value": "0"})
        for letter, score in zip(LETTERS.upper(), scores, strict=False):
            if score:
                _sub(mapping, "qti-map-entry", {"map-key": letter, "mapped-value": format(score.normalize(), "f")})
    _sub(item, "qti-outcome-declaration", {"identifier": "SCORE", "cardinality": "single", "base-type": "float"})
    _sub(
        item,
        "qti-outcome-declaration",
        {"identifier": "FEEDBACK", "cardinality": "multiple", "base-type": "identifier"},
    )
    body = _sub(item, "qti-item-body")
    attrs = {"response-identifier": "RESPONSE", "max-choices": "1" if single else "0", "shuffle": "false"}
    if question.kind == "multiple" and question.scoring == "partial":
        attrs["class"] = PARTIAL_CLASS
    elif question.kind == "true_false":
        attrs["class"] = TRUE_FALSE_CLASS
    interaction = _sub(body, "qti-choice-interaction", attrs)
    _lines(_sub(interaction, "qti-prompt"), question.text)
    for letter, option in zip(LETTERS.upper(), options, strict=False):
        choice = _sub(interaction, "qti-simple-choice", {"identifier": letter})
        _lines(choice, option.text)
        if option.feedback:
            feedback = _sub(
                choice,
                "qti-feedback-inline",
                {"outcome-identifier": "FEEDBACK", "identifier": letter, "show-hide": "show"},
            )
            _lines(feedback, option.feedback)
    _response_processing(item, weighted=scores is not None)
    if question.explanation:
        modal = _sub(
            item,
            "qti-modal-feedback",
            {"outcome-identifier": "FEEDBACK", "identifier": "EXPLANATION", "show-hide": "hide"},
        )
        _lines(_sub(modal, "qti-content-body"), question.explanation)
    ElementTree.indent(item)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        item, encoding="utf-8", xml_declaration=False
    )


def _lom(resource, question: QuestionData) -> None:
    """Tags as LOM keywords, the section tag as a LOM classification with the source "section"."""
    if not (question.tags or question.section_tag):
        return
    lom = _sub(_sub(resource, "metadata"), "lom", {"xmlns": LOM})
    general = _sub(lom, "general")
    for tag in question.tags:
        _sub(_sub(general, "keyword"), "string", text=tag)
    if question.section_tag:
        path = _sub(_sub(lom, "classification"), "taxonPath")
        _sub(_sub(path, "source"), "string", text=SECTION_SOURCE)
        _sub(_sub(_sub(path, "taxon"), "entry"), "string", text=question.section_tag)


def qti_dump(questions: list[QuestionData]) -> bytes:
    """A QTI 3.0 package of the questions, one item each, that `qti_parse` reads back as the
    same questions."""
    manifest = ElementTree.Element("manifest", {"xmlns": CP3, "identifier": "question-pool"})
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", text="QTI Package")
    _sub(metadata, "schemaversion", text="3.0.0")
    _sub(manifest, "organizations")
    resources = _sub(manifest, "resources")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, question in enumerate(questions, 1):
            identifier = f"item-{number}"
            href = f"items/{identifier}.xml"
            resource = _sub(
                resources, "resource", {"identifier": identifier, "type": "imsqti_item_xmlv3p0", "href": href}
            )
            _lom(resource, question)
            _sub(resource, "file", {"href": href})
            archive.writestr(href, _item(question, identifier))
        ElementTree.indent(manifest)
        archive.writestr(
            "imsmanifest.xml",
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ElementTree.tostring(manifest, encoding="utf-8", xml_declaration=False),
        )
    return out.getvalue()
