"""Blocks shared by every page type; apps extend `BaseStreamBlock` with their own."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    level = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("level"))

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))], default="note", label=_("kind")
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code", "ul", "ol"], label=_("text"))

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"))
    link = blocks.PageChooserBlock(required=False, label=_("link"))

    class Meta:
        icon = "pick"
        template = "blocks/feature.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="blocks/paragraph.html")
    image = ImageBlock(template="blocks/image.html")
    callout = CalloutBlock()


class HomeStreamBlock(BaseStreamBlock):
    features = blocks.ListBlock(FeatureBlock(), icon="list-ul", template="blocks/features.html")
