"""Post bodies: Markdown in, safe HTML out. Raw HTML in the source is not interpreted (it shows
as text), and the rendered HTML then passes an allow-list sanitiser, so neither Markdown tricks
nor pasted markup can carry scripts, event handlers, styles or javascript:/data: URLs."""

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor

# @[Full Name] mentions someone; brackets because names here contain spaces and any script.
MENTION_RE = r"@\[([^\]\n]{1,150})\]"

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


class _MentionProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        element = etree.Element("span")
        element.set("class", "mention")
        element.text = "@" + m.group(1).strip()
        return element, m.start(0), m.end(0)


class _ForumExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_MentionProcessor(MENTION_RE, md), "mention", 185)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables", "sane_lists", _ForumExtension()],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
        output_format="html",
    )


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown source to sanitised HTML, ready to store on the post and show as is."""
    return sanitise(_markdown().convert(text))


def mentioned_names(text: str) -> list[str]:
    """The names written as @[Name] outside code, in order, without duplicates."""
    without_code = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.DOTALL)
    names: list[str] = []
    for match in re.finditer(MENTION_RE, without_code):
        name = match.group(1).strip()
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names
