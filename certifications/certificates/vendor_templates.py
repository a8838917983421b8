"""Vendor certificate templates: checking one before it is saved, previewing it on a sample
certificate, and the reads of the template admin (what a regeneration would cover, its batches).

A template is Django template text for the whole page. Vendor staff write it, so a mistake must
come back as a sentence on the form, never as a traceback when a real certificate is rendered:
the check renders a sample certificate through the same code as the PDF task."""

from datetime import date

from django.db.models import QuerySet
from django.template import TemplateSyntaxError, engines
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certifications.certificates.issuing import vendor_logo_bytes
from certifications.certificates.pdf import (
    CertificateContent,
    RenderedPdf,
    certificate_pdf_render,
    certificate_template_context,
)
from certifications.certificates.renewal import add_months
from certifications.models import Certificate, CertificatePdfBatch
from community.models import Vendor

# Well-formed (its check symbol is right) but never issued: the sample's QR code opens "not found".
SAMPLE_SERIAL = "PA-0000-0000-0000"
SAMPLE_HOLDER = "Ada Lovelace"


def certificate_sample_content(
    *, vendor: Vendor, signatory_name: str = "", signatory_title: str = "", today: date | None = None
) -> CertificateContent:
    """A made-up certificate of `vendor` (its name, logo, colour and first products)."""
    today = today or timezone.localdate()
    products = tuple(vendor.products.order_by("name").values_list("name", flat=True)[:3]) or (_("Sample product"),)
    return CertificateContent(
        serial=SAMPLE_SERIAL,
        holder_name=SAMPLE_HOLDER,
        certification_name=_("Sample Certified Engineer"),
        vendor_name=vendor.name,
        products=products,
        issued_on=today,
        expires_on=add_months(today, 24),
        brand_colour=vendor.brand_colour,
        vendor_logo=vendor_logo_bytes(vendor),
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        language=translation.get_language() or "en",
    )


def certificate_template_try(
    *, vendor: Vendor, html: str, signatory_name: str = "", signatory_title: str = ""
) -> tuple[list[str], RenderedPdf | None]:
    """Make the sample certificate of `vendor` with `html` (empty: the platform's default layout).
    Returns `([], pdf)`, or what keeps `html` from being used for real certificates, as sentences
    for the form, and None: a syntax error (with its line), an error while rendering, a missing
    holder name, serial or QR code (without them the certificate cannot be verified), or a PDF
    that cannot be made."""
    content = certificate_sample_content(vendor=vendor, signatory_name=signatory_name, signatory_title=signatory_title)
    if not html.strip():
        return [], certificate_pdf_render(certificate=content)
    try:
        template = engines["django"].from_string(html)
    except TemplateSyntaxError as error:
        return [_("The template has an error: %(error)s") % {"error": error}], None
    context = certificate_template_context(certificate=content)
    try:
        with translation.override(context["language"]):
            page = template.render(context)
    except Exception as error:  # noqa: BLE001 - whatever a template raises, the form reports it
        return [_("The template could not be rendered: %(error)s") % {"error": error}], None
    problems = []
    qr_code = str(context["qr_svg"])
    # The QR code's own label carries the serial; the serial must also be printed for people.
    text = page.replace(qr_code, "")
    if SAMPLE_HOLDER not in text:
        problems.append(_("The template must print the holder's name: {{ holder_name }}."))
    if SAMPLE_SERIAL not in text:
        problems.append(_("The template must print the serial: {{ serial }}."))
    if qr_code not in page:
        problems.append(_("The template must print the QR code that opens the verification page: {{ qr_svg }}."))
    if problems:
        return problems, None
    try:
        return [], certificate_pdf_render(certificate=content, template_source=html)
    except Exception as error:  # noqa: BLE001 - same: a sentence on the form, not a traceback
        return [_("No PDF could be made from this template: %(error)s") % {"error": error}], None


def certificate_template_problems(
    *, vendor: Vendor, html: str, signatory_name: str = "", signatory_title: str = ""
) -> list[str]:
    """What keeps `html` from being used (see `certificate_template_try`); an empty template, the
    default layout, always can be."""
    if not html.strip():
        return []
    return certificate_template_try(
        vendor=vendor, html=html, signatory_name=signatory_name, signatory_title=signatory_title
    )[0]


def certificates_to_regenerate_count(*, vendor: Vendor) -> int:
    """How many PDFs a regeneration of the vendor's certificates covers (all but revoked ones)."""
    return Certificate.objects.filter(vendor=vendor).exclude(status=Certificate.Status.REVOKED).count()


def pdf_batches_for_vendor(*, vendor: Vendor, limit: int = 10) -> QuerySet[CertificatePdfBatch]:
    """The vendor's latest regenerations, newest first, with who asked for them."""
    return CertificatePdfBatch.objects.filter(vendor=vendor).select_related("requested_by")[:limit]
