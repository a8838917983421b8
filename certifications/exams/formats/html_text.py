"""Rich text from other tools read as the plain text exams show. Moodle's editor wraps every text in
paragraphs and breaks lines with `<br>`; those become blank lines and line breaks here. Any other
markup (images, links, emphasis, lists, tables) would show differently or not at all, so a text
holding it is refused rather than stripped."""

import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

# Tags that only lay text out in paragraphs and lines; their attributes (dir, style, class) are
# presentation of the editor, not of the question.
_BLOCKS = {"p", "div"}
_MARKDOWN = re.compile(r"[*_`]|\[[^\]]*\]\(|^\s*(#|>|[-+]\s|\d+\.\s)", re.MULTILINE)


class MarkupRefused(ValueError):
    """The text holds markup that plain text cannot show with the same meaning."""


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.refused: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        else:
            self.refused.add(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag != "br":
            self.refused.add(tag)

    def handle_data(self, data):
        # HTML shows any run of white space as one space.
        self.parts.append(re.sub(r"\s+", " ", data))


def plain_from_html(html: str) -> str:
    """The text of `html` as it reads, or `MarkupRefused` naming the tags it cannot keep."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    if parser.refused:
        raise MarkupRefused(
            _("it is formatted with HTML (%(tags)s), which is not supported: write it as plain text")
            % {"tags": ", ".join(f"<{tag}>" for tag in sorted(parser.refused))}
        )
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def plain_from_markup(text: str, fmt: str) -> str:
    """`text` in Moodle's text format `fmt` (html, moodle_auto_format, plain_text, markdown) as
    plain text. Moodle's own format keeps line breaks as typed and reads HTML where there is some."""
    if fmt == "plain_text":
        return text.strip()
    if fmt == "markdown":
        if _MARKDOWN.search(text) or "<" in text:
            raise MarkupRefused(_("it is formatted with Markdown, which is not supported: write it as plain text"))
        return text.strip()
    if fmt == "moodle_auto_format" and "<" not in text and "&" not in text:
        return text.strip()
    if fmt == "moodle_auto_format":
        text = text.replace("\n", "<br>")
    return plain_from_html(text)
