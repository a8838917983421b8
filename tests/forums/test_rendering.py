import re
from html.parser import HTMLParser

import pytest

from forums.rendering import mentioned_handles, render_markdown

# Vectors that must come out inert: no element that runs script, no event handler, no style,
# no javascript:/data:/vbscript: URL, whatever the Markdown or HTML trick.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    '[x](https://example.com/" onmouseover="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p style=color:red>styled</p>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "[x](<javascript:alert(1)>)",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "@[<script>alert(1)</script>]",
]

FORBIDDEN_TAGS = {"script", "iframe", "svg", "object", "embed", "form", "math", "meta", "base", "body", "style"}


class _Inspector(HTMLParser):
    """Collects what a browser would act on: real elements and attributes, not escaped text."""

    def __init__(self, allowed_tags=frozenset()):
        super().__init__()
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS - self.allowed_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in ("href", "src", "action", "xlink:href") and scheme.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{tag}[{name}={value}]")


def dangerous_markup(html: str, *, allowed_tags=frozenset()) -> list[str]:
    inspector = _Inspector(allowed_tags)
    inspector.feed(html)
    return inspector.problems


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_render_inert(vector):
    html = render_markdown(vector)
    assert dangerous_markup(html) == [], f"{vector!r} → {html!r}"


def test_markdown_features_survive_sanitising():
    html = render_markdown(
        "**bold** [site](https://example.com) ![logo](https://example.com/l.png)\n\n> quoted\n\n"
        "```python\ndef f():\n    return 1\n```\n\nHi @[Anna Schmidt]"
    )
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html and 'rel="nofollow noopener noreferrer ugc"' in html
    assert 'src="https://example.com/l.png"' in html
    assert "<blockquote>" in html
    assert '<div class="highlight">' in html and '<span class="k">def</span>' in html
    assert '<span class="mention">@Anna Schmidt</span>' in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")


def test_mentions_outside_code_are_found_once():
    text = "@anna_schmidt and @Anna_Schmidt and @li_na; not `@code_person` nor\n```\n@fenced\n```"
    assert mentioned_handles(text) == ["anna_schmidt", "li_na"]


def test_handles_in_addresses_urls_and_old_name_mentions_are_not_mentions():
    text = "Write to anna@example.com, see https://example.com/@someone, and @[Anna Schmidt] or @ab"
    assert mentioned_handles(text) == []


def test_a_handle_mention_renders_as_a_link_and_an_old_name_mention_as_text():
    html = render_markdown("Thanks @Anna_Schmidt, and @[Anna Schmidt] <b>")
    assert '<a class="mention" href="/forums/search/?q=anna_schmidt"' in html and ">@anna_schmidt</a>" in html
    assert '<span class="mention">@Anna Schmidt</span>' in html
