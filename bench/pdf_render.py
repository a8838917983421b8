"""How long one certificate PDF takes, next to bare WeasyPrint rendering the same HTML.

    .venv/bin/python bench/pdf_render.py [--runs 15] [--warmup 3] [--fonttools] [--json PATH]

Rows:
- certificate, Latin / Chinese name: `certificate_pdf_render` as issuing will call it (shipped
  pre-cut fonts, font configuration reused within the process). The Chinese row prints a Chinese
  name on a Chinese-language certificate. Targets: median under 100 ms and 400 ms.
- bare WeasyPrint, system fonts: the same HTML through `HTML(string=...).write_pdf()` with no font
  stylesheet, so fontconfig picks whatever the machine has (DejaVu Sans on Debian). On a machine
  without a CJK font the Chinese row is fast because its hanzi print as empty boxes: its time is no
  reference for quality, only for what WeasyPrint costs by itself.
- with --fonttools: the certificate rows again with WeasyPrint's fontTools subsetter, which it uses
  when the system lacks libharfbuzz-subset (Debian package `libharfbuzz-subset0`).

Timings are per render after `--warmup` untimed renders: wall-clock median and p95 (interpolated),
and the median CPU time of this process, which stays honest when other work shares the cores.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402
from weasyprint.pdf import fonts as weasyprint_pdf_fonts  # noqa: E402

from certifications.certificates.pdf import (  # noqa: E402
    DEFAULT_TEMPLATE,
    CertificateContent,
    certificate_pdf_render,
    certificate_template_context,
)

TARGETS_MS = {"latin": 100, "chinese": 400}


def certificate(holder_name: str, language: str) -> CertificateContent:
    return CertificateContent(
        serial="PA-7K3M-9QX2-WD4F",
        holder_name=holder_name,
        certification_name="Certified Cloud Network Engineer",
        vendor_name="Northwind Networks",
        products=("Northwind SD-WAN", "Northwind Edge Firewall", "Northwind Cloud Fabric"),
        issued_on=date(2026, 11, 22),
        expires_on=date(2028, 11, 22),
        brand_colour="#0B5CAD",
        signatory_name="Maria Jensen",
        signatory_title="Director, Partner Programme",
        language=language,
    )


CASES = {"latin": certificate("Ada Lovelace", "en"), "chinese": certificate("欧阳娜娜", "zh-hans")}


def measure(render, runs: int, warmup: int) -> dict:
    for _ in range(warmup):
        render()
    timings, cpu_timings, size = [], [], 0
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        size = len(render())
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.process_time() - cpu_start) * 1000)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if runs > 1 else timings[0]
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "cpu_median_ms": round(statistics.median(cpu_timings), 1),
        "pdf_kb": round(size / 1024),
    }


def bare_html(content: CertificateContent) -> str:
    with translation.override(content.language):
        return render_to_string(DEFAULT_TEMPLATE, certificate_template_context(certificate=content))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--fonttools", action="store_true", help="also time WeasyPrint's fontTools subsetter")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    # WeasyPrint warns per missing glyph (bare rows, Chinese name) and per fontTools subset: noise here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    harfbuzz = weasyprint_pdf_fonts.harfbuzz_subset
    rows = []
    for name, content in CASES.items():
        result = measure(lambda c=content: certificate_pdf_render(certificate=c).content, args.runs, args.warmup)
        rows.append({"case": f"certificate, {name} name", "name": name, **result, "target_ms": TARGETS_MS[name]})
    for name, content in CASES.items():
        html = bare_html(content)
        result = measure(lambda h=html: HTML(string=h).write_pdf(), args.runs, args.warmup)
        rows.append({"case": f"bare WeasyPrint, system fonts, {name} name", "name": name, **result})
    if args.fonttools:
        weasyprint_pdf_fonts.harfbuzz_subset = None
        try:
            for name, content in CASES.items():
                result = measure(lambda c=content: certificate_pdf_render(certificate=c).content, args.runs, 1)
                rows.append({"case": f"certificate, {name} name, fontTools subsetting", "name": name, **result})
        finally:
            weasyprint_pdf_fonts.harfbuzz_subset = harfbuzz

    subsetter = "HarfBuzz" if harfbuzz else "fontTools (libharfbuzz-subset not found)"
    print(f"PDF render, {args.runs} runs after {args.warmup} warm-up; WeasyPrint subsets fonts with {subsetter}")
    print(f"{'case':<58}{'median ms':>10}{'p95 ms':>9}{'CPU ms':>9}{'PDF KB':>8}  target (median)")
    for row in rows:
        verdict = ""
        if "target_ms" in row:
            verdict = f"< {row['target_ms']} ms " + ("ok" if row["median_ms"] < row["target_ms"] else "MISSED")
        print(
            f"{row['case']:<58}{row['median_ms']:>10}{row['p95_ms']:>9}{row['cpu_median_ms']:>9}{row['pdf_kb']:>8}"
            f"  {verdict}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"pdf_render": rows, "subsetter": subsetter}, indent=2) + "\n")


if __name__ == "__main__":
    main()
