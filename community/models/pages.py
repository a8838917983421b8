from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Site

from community.blocks import HomeStreamBlock


class BasePage(Page):
    """What every page type of the site shares."""

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """The view restrictions on this page and its ancestors, which Wagtail checks before
        serving it. Wagtail's own method reads the ancestors, then their restrictions: two
        queries on every page. Here one query reads the page and its ancestors with whether each
        has a restriction, and the restrictions themselves are read only when there are some
        (an empty `__in` asks the database nothing). A page or ancestor that is an alias takes
        its source's restrictions, which Wagtail's method resolves, so such a chain is left to it."""
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        restricted = Exists(PageViewRestriction.objects.filter(page=OuterRef("pk")))
        chain = list(Page.objects.filter(path__in=paths).values_list("pk", "alias_of_id", restricted))
        if any(alias_of_id for _pk, alias_of_id, _restricted in chain):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(page_id__in=[pk for pk, _alias_of_id, has in chain if has])


class HomePage(BasePage):
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
        routes the rest itself; a path that names no page falls back to the walk, which 404s.

        A translated home (`/zh-hans/`) routes its own tree; a page not translated into its
        language yet is served from the site's original tree instead (English content in the
        translated interface), so every page answers under every language's prefix."""
        if not path_components:
            return super().route(request, path_components)
        tail = f"{'/'.join(path_components)}/"
        candidates = [f"{self.url_path}{tail}"]
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id != self.pk:
            candidates.append(f"{site.root_page.url_path}{tail}")
        found = {page.url_path: page for page in Page.objects.filter(url_path__in=candidates).specific()}
        page = next((found[path] for path in candidates if path in found), None)
        if page is None:
            return super().route(request, path_components)
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        from community import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context.home(request=request, page=self))
        return context
