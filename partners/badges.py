"""Live badges for partners' own websites: one SVG per delivery right, at
`/partners/<slug>/badges/<product-slug>.svg`, saying what the right is now (authorised, renewal
pending, lapsed) with the partner's and the product's names, and an HTML snippet that shows it
and links to the partner's page here, where a visitor can check it.

The badge is drawn from the right as stored, in one query, and browsers and proxies may keep it
for `BADGE_MAX_AGE` seconds, so a change of status shows on the partner's site within a minute.
Names are the partners' own text: the template escapes them, and long ones are shortened so the
badge keeps its size."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from certifications.models import OrganisationDeliveryRight, RightStatus
from certifications.verification.right_credentials import right_credential_current_prefetch
from community.models import PartnerOrganisation

BADGE_MAX_AGE = 60
BADGE_HEIGHT = 40
NAME_MAX_CHARS = 36
# Colours with white text above 4.5:1 contrast.
STATUS_COLOURS = {RightStatus.ACTIVE: "#15803d", RightStatus.GRACE: "#b45309", RightStatus.LAPSED: "#6b7280"}


@dataclass(frozen=True)
class Badge:
    """What the SVG template draws; widths in pixels."""

    organisation: str
    product: str
    status: str
    colour: str
    label: str
    left_width: int
    right_width: int

    @property
    def width(self) -> int:
        return self.left_width + self.right_width


def right_for_badge(*, slug: str, product_slug: str) -> OrganisationDeliveryRight | None:
    """The organisation's right to the product, whatever its status, with both names; one query."""
    return (
        OrganisationDeliveryRight.objects.filter(organisation__slug=slug, product__slug=product_slug)
        .select_related("organisation", "product")
        .first()
    )


def organisation_badge_rights(*, organisation: PartnerOrganisation) -> list[OrganisationDeliveryRight]:
    """Every right the organisation has a row for, by vendor and product, each with
    `current_credentials` (the credential of the period it is in, if held); two queries."""
    return list(
        organisation.delivery_rights.select_related("product__vendor")
        .prefetch_related(right_credential_current_prefetch())
        .order_by("product__vendor__name", "product__name")
    )


def status_text(status: str) -> str:
    return {RightStatus.ACTIVE: _("Authorised"), RightStatus.GRACE: _("Renewal pending")}.get(status, _("Lapsed"))


def badge_for(right: OrganisationDeliveryRight) -> Badge:
    organisation = _shorten(right.organisation.name)
    product = _shorten(right.product.name)
    status = status_text(right.status)
    label = _("%(partner)s: %(product)s, %(status)s (Partner Academy)") % {
        "partner": right.organisation.name,
        "product": right.product.name,
        "status": status,
    }
    left = 16 + max(_text_width(organisation, 11), _text_width(product, 10))
    right_width = 16 + max(_text_width(status, 11), _text_width("Partner Academy", 9))
    return Badge(organisation, product, status, STATUS_COLOURS.get(right.status, "#6b7280"), label, left, right_width)


def badge_url(*, slug: str, product_slug: str) -> str:
    path = reverse("partners:badge", kwargs={"slug": slug, "product_slug": product_slug})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def badge_snippet(right: OrganisationDeliveryRight) -> str:
    """The HTML a partner pastes into its site: the live badge, linking to its page here."""
    slug = right.organisation.slug
    page = f"{settings.SITE_URL.rstrip('/')}{reverse('partners:partner', kwargs={'slug': slug})}"
    badge = badge_for(right)
    alt = _("%(partner)s: delivery right for %(product)s, checked by Partner Academy") % {
        "partner": right.organisation.name,
        "product": right.product.name,
    }
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        page,
        badge_url(slug=slug, product_slug=right.product.slug),
        alt,
        badge.width,
        BADGE_HEIGHT,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= NAME_MAX_CHARS else f"{text[: NAME_MAX_CHARS - 1]}…"


def _text_width(text: str, size: int) -> int:
    """A generous estimate of the text's width in a sans-serif font: wide characters (Chinese,
    Japanese, Korean) take a full em, others about 0.62 of one."""
    ems = sum(1.0 if ord(char) >= 0x1100 else 0.62 for char in text)
    return int(ems * size) + 1
