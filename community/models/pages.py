from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from community.blocks import HomeStreamBlock


class HomePage(Page):
    """The site root. Editors write the hero and the body; the numbers and the vendor and
    product showcase come from selectors so they never go stale."""

    hero_title = models.CharField(_("hero title"), max_length=160, default="Learn. Certify. Deliver.")
    hero_intro = models.TextField(
        _("hero introduction"),
        blank=True,
        default=(
            "Product training from the vendors you sell, certification exams that prove it, and "
            "delivery rights your customers can verify."
        ),
    )
    body = StreamField(HomeStreamBlock(), blank=True, use_json_field=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("hero_title"), FieldPanel("hero_intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find the page a path names by its stored URL path in two queries, where Wagtail's walk
        down the tree takes two per level (a course sits four levels down). The page found still
        routes the rest itself; a path that names no page falls back to the walk, which 404s."""
        if not path_components:
            return super().route(request, path_components)
        url_path = f"{self.url_path}{'/'.join(path_components)}/"
        page = Page.objects.filter(url_path=url_path).specific().first()
        if page is None:
            return super().route(request, path_components)
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        from community import selectors

        context = super().get_context(request, *args, **kwargs)
        context["stats"] = selectors.site_stats()
        context["vendors"] = selectors.vendor_showcase()
        return context
