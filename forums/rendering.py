"""Post bodies: Markdown in, safe HTML out. Raw HTML in the source is not interpreted (it shows
as text), and the rendered HTML then passes an allow-list sanitiser, so neither Markdown tricks
nor pasted markup can carry scripts, event handlers, styles or javascript:/data: URLs."""

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlencode

import markdown
import nh3
from django.urls import reverse
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

# @handle mentions someone (see community.handles); not inside a word, an e-mail address or a URL.
MENTION_RE = r"(?<![\w@./])@([A-Za-z0-9_]{3,30})(?![\w@])"
# The earlier @[Full Name] form, which named everyone of that name: still shown as it was, as
# text, but it mentions nobody.
LEGACY_MENTION_RE = r"@\[([^\]\n]{1,150})\]"

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
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
    """@handle becomes a link to the forum search for that handle."""

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        handle = m.group(1).lower()
        element = etree.Element("a")
        element.set("class", "mention")
        element.set("href", f"{reverse('forums:search')}?{urlencode({'q': handle})}")
        element.text = AtomicString("@" + handle)
        return element, m.start(0), m.end(0)


class _LegacyMentionProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        element = etree.Element("span")
        element.set("class", "mention")
        # Atomic, so the name is not read again as an @handle.
        element.text = AtomicString("@" + m.group(1).strip())
        return element, m.start(0), m.end(0)


class _ForumExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_LegacyMentionProcessor(LEGACY_MENTION_RE, md), "legacy_mention", 186)
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


def mentioned_handles(text: str) -> list[str]:
    """The handles written as @handle outside code, lower-cased, in order, without duplicates."""
    without_code = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.DOTALL)
    handles: list[str] = []
    for match in re.finditer(MENTION_RE, without_code):
        handle = match.group(1).lower()
        if handle not in handles:
            handles.append(handle)
    return handles
