"""The lesson body: the site's BaseStreamBlock plus what technical training needs (code, video,
downloads, tables, knowledge checks). Rendering logic that needs Python (syntax highlighting,
embed fallback) lives in the blocks' `get_context`, so templates stay declarative."""

from django.utils.translation import gettext_lazy as _
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from community.blocks import BaseStreamBlock

CODE_LANGUAGES = [
    ("bash", "Shell"),
    ("console", _("Shell session")),
    ("sql", "SQL"),
    ("yaml", "YAML"),
    ("json", "JSON"),
    ("python", "Python"),
    ("hcl", "Terraform / HCL"),
    ("ini", "INI / config"),
    ("text", _("Plain text")),
]


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        template = "courses/blocks/figure.html"
        label = _("Image with caption")


class VideoBlock(blocks.StructBlock):
    """An embedded video. When the provider cannot be reached (or is unknown), the page shows a
    plain link instead of an empty frame."""

    video = EmbedBlock(label=_("video URL"))
    title = blocks.CharBlock(required=False, label=_("title"))

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        embed = value.get("video")
        context["embed_html"] = embed.html if embed else ""
        context["video_url"] = embed.url if embed else ""
        return context


class CodeBlock(blocks.StructBlock):
    """Source code highlighted on the server with Pygments, so pages need no script or CDN."""

    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="bash", label=_("language"))
    filename = blocks.CharBlock(required=False, label=_("file name"))
    code = blocks.TextBlock(label=_("code"))

    class Meta:
        icon = "code"
        template = "courses/blocks/code.html"
        label = _("Code")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        try:
            lexer = get_lexer_by_name(value["language"])
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        context["highlighted"] = highlight(value["code"], lexer, HtmlFormatter(cssclass="highlight", nowrap=False))
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(required=False, label=_("title"), help_text=_("Defaults to the document's title."))
    description = blocks.CharBlock(required=False, label=_("description"))

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Download (lab guide)")


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"))
    correct = blocks.BooleanBlock(required=False, label=_("correct"))


class KnowledgeCheckBlock(blocks.StructBlock):
    """An ungraded question. Answering shows whether the choice was right and the explanation;
    without JavaScript the form reloads the lesson with the answer in the query string."""

    question = blocks.CharBlock(label=_("question"))
    options = blocks.ListBlock(CheckOptionBlock(), min_num=2, label=_("options"))
    explanation = blocks.RichTextBlock(features=["bold", "italic", "code", "link"], label=_("explanation"))

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        label = _("Knowledge check")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        block_id = (parent_context or {}).get("block_id", "")
        answered = None
        if request is not None and block_id and request.GET.get("check") == block_id:
            try:
                answered = int(request.GET.get("answer", ""))
            except ValueError:
                answered = None
            if answered is not None and not 0 <= answered < len(value["options"]):
                answered = None
        context["answered"] = answered
        context["answered_correctly"] = answered is not None and bool(value["options"][answered]["correct"])
        return context


class LessonStreamBlock(BaseStreamBlock):
    figure = FigureBlock()
    video = VideoBlock()
    code = CodeBlock()
    download = DocumentBlock()
    table = TableBlock(template="courses/blocks/table.html", label=_("Table"))
    knowledge_check = KnowledgeCheckBlock()
