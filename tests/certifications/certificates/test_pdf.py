import hashlib
import io
import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from weasyprint.pdf import fonts as weasyprint_pdf_fonts

from certifications.certificates import pdf
from certifications.certificates.font_subsetting import INSTALL_HINT, fonttools_fallback_once
from certifications.certificates.pdf import CertificateContent, certificate_pdf_render, certificate_template_context
from certifications.certificates.qr import QUIET_ZONE, qr_matrix, qr_svg

SITE_URL = "https://academy.example.com"
SERIAL = "PA-7K3M-9QX2-WD4F"
VERIFICATION_URL = f"{SITE_URL}/verify/{SERIAL}/"


def png_logo() -> bytes:
    image = Image.new("RGB", (40, 20), "#0B5CAD")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def content(**changes) -> CertificateContent:
    base = CertificateContent(
        serial=SERIAL,
        holder_name="Ada Lovelace",
        certification_name="Certified Cloud Network Engineer",
        vendor_name="Northwind Networks",
        products=("Northwind SD-WAN", "Northwind Edge Firewall"),
        issued_on=date(2026, 11, 22),
        expires_on=date(2028, 11, 22),
        brand_colour="#0B5CAD",
        signatory_name="Maria Jensen",
        signatory_title="Director, Partner Programme",
    )
    return replace(base, **changes)


def render(**changes):
    return certificate_pdf_render(certificate=content(**changes), site_url=SITE_URL)


def page_text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def embedded_fonts(data: bytes) -> set[str]:
    fonts = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    # Subset fonts are named "ABCDEF+Family-Style"; keep the family part.
    return {str(fonts[key].get_object()["/BaseFont"]).split("+", 1)[-1] for key in fonts}


def qr_codes(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        image = page.render(scale=2).to_pil()
        page.close()
    finally:
        document.close()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_pdf_is_a_single_a4_landscape_page():
    reader = pypdf.PdfReader(io.BytesIO(render().content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 210)


def test_a_long_product_list_still_fits_on_one_page():
    products = tuple(f"Northwind Product Line {number}" for number in range(1, 15))
    data = render(products=products, holder_name="Maximilian Alexander von Hohenberg-Schwarzenfeld").content
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    text = " ".join(page_text(data).split())
    assert "Northwind Product Line 14" in text and SERIAL in text


@pytest.mark.parametrize(
    "holder_name",
    ["Ada Lovelace", "Zoë Ñúñez-Łukasiewicz", "Анна Каренина-Щербацкая", "王小明", "欧阳娜娜"],
)
def test_text_read_back_has_holder_serial_certification_and_products(holder_name):
    text = page_text(render(holder_name=holder_name).content)
    assert holder_name in text
    assert SERIAL in text
    assert "Certified Cloud Network Engineer" in text
    assert "Northwind SD-WAN" in text and "Northwind Edge Firewall" in text
    assert "Northwind Networks" in text
    assert "Maria Jensen" in text


def test_names_print_with_the_shipped_fonts_not_system_ones():
    assert embedded_fonts(render(holder_name="Анна Каренина").content) <= {
        "Certificate-Sans",
        "Certificate-Sans-Bold",
        "Certificate-Serif-Bold",
    }
    assert "Certificate-Sans-SC-Bold" in embedded_fonts(render(holder_name="王小明").content)


NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""

# The child subsets with fontTools, as a machine without libharfbuzz-subset does, so the test
# holds whichever subsetter each side has.
RENDER_IN_CHILD = f"""
import sys, django
from datetime import date
django.setup()
from weasyprint.pdf import fonts
fonts.harfbuzz_subset = None
from certifications.certificates.pdf import CertificateContent, certificate_pdf_render
content = CertificateContent(serial="{SERIAL}", holder_name=sys.argv[2], certification_name="Certified",
    vendor_name="Northwind", products=("SD-WAN",), issued_on=date(2026, 11, 22), expires_on=None)
open(sys.argv[1], "wb").write(certificate_pdf_render(certificate=content, site_url="{SITE_URL}").content)
"""


def printed(data: bytes) -> dict:
    """What a certificate shows and carries, whichever font subsetter cut its fonts: the text, the
    fonts it names, its images and embedded files."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return {
        "pages": len(reader.pages),
        "text": page_text(data),
        "fonts": embedded_fonts(data),
        "images": [image.data for image in reader.pages[0].images],
        "attachments": reader.attachments,
    }


def test_names_print_the_same_on_a_machine_without_any_font(tmp_path):
    """A fresh machine: fontconfig knows no font at all, yet every script prints as here."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=tmp_path / "cache"))
    target = tmp_path / "certificate.pdf"
    name = "Анна 王小明 Zoë"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "community.settings.test"}
    subprocess.run([sys.executable, "-c", RENDER_IN_CHILD, str(target), name], env=env, check=True, timeout=120)
    data = target.read_bytes()
    assert name in page_text(data)
    assert all(font.startswith("Certificate") for font in embedded_fonts(data))
    here = certificate_pdf_render(
        certificate=CertificateContent(
            serial=SERIAL,
            holder_name=name,
            certification_name="Certified",
            vendor_name="Northwind",
            products=("SD-WAN",),
            issued_on=date(2026, 11, 22),
            expires_on=None,
        ),
        site_url=SITE_URL,
    )
    assert printed(here.content) == printed(data)


def test_characters_outside_the_shipped_fonts_fall_back_to_a_system_font():
    """U+2600 is in Debian's DejaVu Sans (fonts-dejavu-core) but not in the shipped subsets."""
    fonts = embedded_fonts(render(holder_name="Ada \u2600").content)
    assert any(not name.startswith("Certificate") for name in fonts), fonts


def test_qr_code_on_the_page_decodes_to_the_verification_url():
    assert qr_codes(render().content) == [VERIFICATION_URL]


def test_qr_svg_draws_exactly_the_dark_modules_inside_a_quiet_zone():
    svg = qr_svg(VERIFICATION_URL, label='<"label">')
    matrix = qr_matrix(VERIFICATION_URL)
    size = len(matrix) + 2 * QUIET_ZONE
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert "<title>&lt;&quot;label&quot;&gt;</title>" in svg
    drawn = set()
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        drawn |= {(int(x) + i - QUIET_ZONE, int(y) - QUIET_ZONE) for i in range(int(run))}
    dark = {(x, y) for y, row in enumerate(matrix) for x, on in enumerate(row) if on}
    assert drawn == dark


def test_verification_url_is_printed_too():
    assert VERIFICATION_URL in page_text(render().content).replace("\n", "")


def test_returned_sha256_is_that_of_the_returned_bytes():
    rendered = render()
    assert rendered.sha256 == hashlib.sha256(rendered.content).hexdigest()


def test_same_inputs_give_byte_identical_pdfs():
    first, second = render(holder_name="王小明"), render(holder_name="王小明")
    assert first.content == second.content
    assert first.sha256 == second.sha256


def test_pdfs_stay_reproducible_when_fonttools_subsets_the_fonts(monkeypatch):
    """Machines without libharfbuzz-subset: fontTools would stamp each font with the current second."""
    monkeypatch.setattr(weasyprint_pdf_fonts, "harfbuzz_subset", None)
    first = render()
    time.sleep(1.1)
    assert render().content == first.content


def test_a_machine_without_harfbuzz_subset_is_told_once_what_to_install(monkeypatch, caplog):
    monkeypatch.setattr(weasyprint_pdf_fonts, "harfbuzz_subset", None)
    monkeypatch.setattr(fonttools_fallback_once, "warned", False)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render()
        render(holder_name="Ada Lovelace Byron")
    subsetting = [r.getMessage() for r in caplog.records if "fontTools" in r.getMessage()]
    assert subsetting == [INSTALL_HINT]
    assert "libharfbuzz-subset0" in INSTALL_HINT


def test_a_different_holder_gives_a_different_hash():
    assert render(holder_name="Ada Lovelace").sha256 != render(holder_name="Ada Lovelace Byron").sha256


def test_dates_print_in_the_certificate_language():
    english = page_text(render(language="en").content)
    chinese = page_text(render(language="zh-hans").content)
    assert "22 Nov 2026" in english and "22 Nov 2028" in english
    assert "2026年11月22日" in chinese and "2028年11月22日" in chinese


def test_labels_print_in_the_certificate_language():
    chinese = page_text(render(language="zh-hans").content)
    assert "兹证明" in chinese and "已获得以下认证" in chinese
    assert "This certifies that" in page_text(render(language="en").content)


def test_a_language_the_site_does_not_offer_prints_in_the_default_one():
    assert "22 Nov 2026" in page_text(render(language="ru").content)


def test_certificate_without_expiry_says_so():
    assert "No expiry" in page_text(render(expires_on=None).content)


def test_holder_name_is_printed_as_text_not_markup():
    text = page_text(render(holder_name="<b>Bobby</b> & Co").content)
    assert "<b>Bobby</b> & Co" in text


def test_vendor_logo_is_embedded_as_an_image():
    with_logo = pypdf.PdfReader(io.BytesIO(render(vendor_logo=png_logo()).content))
    without_logo = pypdf.PdfReader(io.BytesIO(render().content))
    assert len(with_logo.pages[0].images) == 1
    assert len(without_logo.pages[0].images) == 0


def test_logo_type_is_recognised_from_its_bytes_and_anything_else_is_left_out():
    def logo_uri(data):
        return certificate_template_context(certificate=content(vendor_logo=data))["logo_data_uri"]

    assert logo_uri(png_logo()).startswith("data:image/png;base64,")
    assert logo_uri(b'<svg xmlns="http://www.w3.org/2000/svg"/>').startswith("data:image/svg+xml;base64,")
    assert logo_uri(b"RIFF\0\0\0\0WAVEfmt ") is None
    assert logo_uri(b"%PDF-1.7") is None
    assert logo_uri(None) is None


def test_brand_colour_must_be_a_hex_colour_to_reach_the_css():
    assert certificate_template_context(certificate=content(brand_colour="#AA0011"))["brand_colour"] == "#AA0011"
    hostile = content(brand_colour="red; } body { display: none")
    assert certificate_template_context(certificate=hostile)["brand_colour"] == pdf.DEFAULT_BRAND_COLOUR


def test_a_vendor_template_source_replaces_the_default_template():
    source = (
        "<html><body><h1>{{ vendor_name }} honours {{ holder_name }}</h1><p>{{ serial }}</p>{{ qr_svg }}</body></html>"
    )
    rendered = certificate_pdf_render(certificate=content(), template_source=source, site_url=SITE_URL)
    text = " ".join(page_text(rendered.content).split())
    assert "Northwind Networks honours Ada Lovelace" in text
    assert "This certifies that" not in text
    assert qr_codes(rendered.content) == [VERIFICATION_URL]


def test_templates_cannot_load_files_or_network_resources():
    fetcher = pdf._LocalOnlyFetcher()
    font = (pdf.FONT_DIR / "CertificateSans-Regular.ttf").as_uri()
    response = fetcher.fetch(font)
    try:
        assert response.read()[:4] == b"\x00\x01\x00\x00"
    finally:
        response.close()
    for url in [
        "file:///etc/hostname",
        font.replace("CertificateSans-Regular.ttf", "%2e%2e/%2e%2e/pyproject.toml"),
        "http://127.0.0.1:9/logo.png",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_template_reaching_for_a_local_file_still_renders_without_it():
    source = '<html><body><img src="file:///etc/hostname"><p>{{ holder_name }}</p></body></html>'
    rendered = certificate_pdf_render(certificate=content(), template_source=source, site_url=SITE_URL)
    assert "Ada Lovelace" in page_text(rendered.content)
    assert len(pypdf.PdfReader(io.BytesIO(rendered.content)).pages[0].images) == 0
