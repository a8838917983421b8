"""Certificate PDFs: a Django template rendered by WeasyPrint into A4 landscape.

Fonts. The certificate does not trust the machine's fonts: `certifications/certificates/fonts/` ships cut-down
DejaVu (Latin, Greek, Cyrillic) and Noto Sans CJK SC (the 6,763 hanzi of GB 2312 and a few common
name characters), built by `build_fonts.py`, and the stylesheet loads them through `@font-face`
with file:// URLs, so Latin, Russian and Chinese names print with real glyphs on a fresh machine.
A character outside those subsets (a rare hanzi, Arabic, ...) is still drawn if any system font
has it: WeasyPrint's FontConfiguration starts from the system's fontconfig, and Pango falls back
to it per character. Without such a font that one character prints as an empty box.

Speed. WeasyPrint subsets each embedded font on every render; small pre-cut fonts keep that cheap.
It does so with HarfBuzz when the system has libharfbuzz-subset (Debian `libharfbuzz-subset0`);
without it, it falls back to fontTools, which takes seconds per Chinese certificate, so production
and CI machines should install that package. The font configuration and font stylesheet are built
once per process and reused, which saves copying and scanning the 3 MB CJK files per certificate;
a lock serialises renders because that shared fontconfig state is not thread-safe (Celery's
prefork workers never contend for it). `bench/pdf_render.py` measures all this.

Safety. Templates will be editable by vendor staff, so resources load through a fetcher that only
allows `data:` URIs and the shipped fonts: no network, no reading the server's files.

Determinism. WeasyPrint writes no creation date unless the HTML asks for one and derives the PDF
file identifier from the content, so the same inputs give byte-identical PDFs and the same SHA-256.
On machines where fontTools subsets the fonts, its per-font timestamp is pinned for the same reason.
"""

import base64
import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from fontTools.ttLib.tables import _h_e_a_d as font_head_table
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from certifications.certificates.qr import qr_svg

FONT_DIR = Path(__file__).resolve().parent / "fonts"
DEFAULT_TEMPLATE = "certifications/certificate_pdf.html"
DEFAULT_BRAND_COLOUR = "#1F4E79"
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

# (family, weight, file): the names templates use in `font-family`.
FONT_FACES = [
    ("Certificate Sans", 400, "CertificateSans-Regular.ttf"),
    ("Certificate Sans", 700, "CertificateSans-Bold.ttf"),
    ("Certificate Serif", 700, "CertificateSerif-Bold.ttf"),
    ("Certificate Sans SC", 400, "CertificateSansSC-Regular.otf"),
    ("Certificate Sans SC", 700, "CertificateSansSC-Bold.otf"),
]

_IMAGE_TYPES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
]

_render_lock = threading.Lock()


@dataclass(frozen=True)
class CertificateContent:
    """What a certificate prints, frozen at issue. `brand_colour` is `#RRGGBB` (anything else falls
    back to the default, since it lands in CSS); `vendor_logo` is the image file's bytes (PNG, JPEG,
    GIF, WebP or SVG); `language` is the language the labels and dates print in."""

    serial: str
    holder_name: str
    certification_name: str
    vendor_name: str
    products: tuple[str, ...]
    issued_on: date
    expires_on: date | None
    brand_colour: str = DEFAULT_BRAND_COLOUR
    vendor_logo: bytes | None = None
    signatory_name: str = ""
    signatory_title: str = ""
    language: str = "en"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str


def certificate_verification_url(*, serial: str, site_url: str | None = None) -> str:
    """The public page that says whether `serial` is valid; the certificate's QR code opens it."""
    return f"{(site_url or settings.SITE_URL).rstrip('/')}/verify/{serial}/"


def certificate_pdf_render(
    *,
    certificate: CertificateContent,
    template_name: str = DEFAULT_TEMPLATE,
    template_source: str | None = None,
    site_url: str | None = None,
) -> RenderedPdf:
    """Render `certificate` as a one-page A4 landscape PDF and return its bytes and SHA-256.

    The HTML comes from `template_source` (a vendor's own Django template text) when given, else from
    the template named `template_name`. Either receives the context built by `certificate_template_context`.
    Same inputs, same bytes. Safe to call from several threads (renders take turns)."""
    context = certificate_template_context(certificate=certificate, site_url=site_url)
    with translation.override(context["language"]):
        if template_source is not None:
            html = engines["django"].from_string(template_source).render(context)
        else:
            html = render_to_string(template_name, context)
    with _render_lock, _fixed_font_timestamps():
        font_config, font_css, fetcher = _font_setup()
        document = HTML(string=html, url_fetcher=fetcher, base_url=FONT_DIR.as_uri() + "/")
        content = document.write_pdf(stylesheets=[font_css], font_config=font_config)
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())


def certificate_template_context(*, certificate: CertificateContent, site_url: str | None = None) -> dict:
    """The template context: the certificate's fields plus `verification_url`, `qr_svg` (inline
    SVG, safe to print unescaped), `logo_data_uri` (or None), a checked `brand_colour` and the
    `language` the labels print in (the site's default when the certificate's is not offered)."""
    verification_url = certificate_verification_url(serial=certificate.serial, site_url=site_url)
    colour = certificate.brand_colour if _HEX_COLOUR.fullmatch(certificate.brand_colour or "") else None
    return {
        "certificate": certificate,
        "holder_name": certificate.holder_name,
        "certification_name": certificate.certification_name,
        "vendor_name": certificate.vendor_name,
        "products": list(certificate.products),
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "serial": certificate.serial,
        "signatory_name": certificate.signatory_name,
        "signatory_title": certificate.signatory_title,
        "brand_colour": colour or DEFAULT_BRAND_COLOUR,
        "logo_data_uri": _data_uri(certificate.vendor_logo),
        "verification_url": verification_url,
        "qr_svg": mark_safe(qr_svg(verification_url, label=verification_url)),
        "language": _supported_language(certificate.language),
    }


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """Without HarfBuzz's subsetter WeasyPrint subsets with fontTools, which stamps every embedded
    font with the current time; a fixed stamp keeps the PDF reproducible on such machines too."""
    now = font_head_table.timestampNow
    font_head_table.timestampNow = lambda: 0
    try:
        yield
    finally:
        font_head_table.timestampNow = now


def _supported_language(code: str) -> str:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def _data_uri(image: bytes | None) -> str | None:
    if not image:
        return None
    mime = next((mime for magic, mime in _IMAGE_TYPES if image.startswith(magic)), None)
    if mime is None and image[:4] == b"RIFF" and image[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None and b"<svg" in image[:1024]:
        mime = "image/svg+xml"
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"


def _font_face_css() -> str:
    rules = [
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{(FONT_DIR / name).as_uri()}"); }}'
        for family, weight, name in FONT_FACES
    ]
    return "\n".join(rules)


class _LocalOnlyFetcher(URLFetcher):
    """Fetches `data:` URIs and the shipped font files, and refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:") or _is_shipped_font(url):
            return super().fetch(url, headers)
        raise ValueError(f"certificate templates may not load {url[:80]}")


def _is_shipped_font(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(FONT_DIR)


@cache
def _font_setup() -> tuple[FontConfiguration, CSS, URLFetcher]:
    fetcher = _LocalOnlyFetcher()
    font_config = FontConfiguration()
    font_css = CSS(string=_font_face_css(), font_config=font_config, url_fetcher=fetcher)
    return font_config, font_css, fetcher
