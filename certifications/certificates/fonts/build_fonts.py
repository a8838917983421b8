"""Build the certificate fonts shipped in this folder, so certificates print the same on any machine.

    python certifications/certificates/fonts/build_fonts.py [--source DIR ...]

Sources (found under /usr/share/fonts and any --source folder):
- DejaVu Sans, Sans Bold, Serif Bold (Debian `fonts-dejavu-core`; Bitstream Vera licence, DejaVu
  changes public domain) cut to Latin, Greek and Cyrillic.
- Noto Sans CJK SC Regular and Bold (Debian `fonts-noto-cjk`; SIL Open Font License 1.1) cut to the
  Simplified Chinese of GB 2312 (levels 1 and 2: 6,763 hanzi, plus its punctuation, kana, Greek and
  Cyrillic rows) and a few common name characters outside it. Without installing the package:
  `apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb src`, then `--source src`.

Why cut them: WeasyPrint subsets every font it embeds, on every render, and its cost grows with the
font's size (a full CJK font is about 20 MB). Cut fonts keep a certificate render fast and the repo small.

The output is reproducible: the same sources give byte-identical files (font timestamps are kept
from the source). Families are renamed ("Certificate Sans", ...) because both licences ask that
modified fonts do not carry the original names as their primary name.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
SYSTEM_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]

# Latin (incl. Vietnamese and combining marks for decomposed names), Greek, Cyrillic, punctuation.
LATIN_RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x0300, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20BF),
    (0x2100, 0x2122),
    (0x2190, 0x2193),
    (0x25CF, 0x25CF),
    (0x2713, 0x2714),
]

# Characters often seen in given names that GB 2312 lacks; fonts outside the subset still print
# through the system fallback, these are only the most frequent ones.
EXTRA_NAME_HANZI = "堃喆昇珺玥瑄璟琰晔昱玙珩婧祎彧翀韡頔垚淼燊犇骉焱鑫"

CJK_EXTRA_RANGES = [
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # fullwidth forms
]


@dataclass(frozen=True)
class FontJob:
    output: str
    source_file: str
    source_family: str
    family: str
    style: str
    cjk: bool


JOBS = [
    FontJob("CertificateSans-Regular.ttf", "DejaVuSans.ttf", "DejaVu Sans", "Certificate Sans", "Regular", False),
    FontJob("CertificateSans-Bold.ttf", "DejaVuSans-Bold.ttf", "DejaVu Sans", "Certificate Sans", "Bold", False),
    FontJob("CertificateSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "DejaVu Serif", "Certificate Serif", "Bold", False),
    FontJob(
        "CertificateSansSC-Regular.otf",
        "NotoSansCJK-Regular.ttc",
        "Noto Sans CJK SC",
        "Certificate Sans SC",
        "Regular",
        True,
    ),
    FontJob(
        "CertificateSansSC-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Certificate Sans SC", "Bold", True
    ),
]


def gb2312_characters() -> list[str]:
    """Every character GB 2312 encodes in its two-byte rows (symbols, kana, Greek, Cyrillic, hanzi)."""
    characters = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def codepoints(job: FontJob) -> set[int]:
    if not job.cjk:
        return {cp for start, end in LATIN_RANGES for cp in range(start, end + 1)}
    points = {ord(ch) for ch in gb2312_characters()} | {ord(ch) for ch in EXTRA_NAME_HANZI}
    points |= {cp for start, end in CJK_EXTRA_RANGES for cp in range(start, end + 1)}
    return points | set(range(0x20, 0x7F))


def find_source(name: str, extra_dirs: list[Path]) -> Path:
    for folder in [*extra_dirs, *SYSTEM_FONT_DIRS]:
        found = sorted(folder.rglob(name)) if folder.is_dir() else []
        if found:
            return found[0]
    raise SystemExit(f"{name} not found; install its Debian package or pass --source (see the docstring)")


def open_font(path: Path, family: str) -> TTFont:
    if path.suffix.lower() != ".ttc":
        return TTFont(path, recalcTimestamp=False)
    collection = TTCollection(path)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return TTFont(path, fontNumber=number, recalcTimestamp=False)
    raise SystemExit(f"{family} is not in {path}")


def rename(font: TTFont, family: str, style: str) -> None:
    names = font["name"]
    postscript = f"{family.replace(' ', '')}-{style}"
    for record in list(names.names):
        if record.nameID in (16, 17, 21, 22, 25):
            names.removeNames(nameID=record.nameID)
    for name_id, value in {1: family, 2: style, 3: postscript, 4: f"{family} {style}", 6: postscript}.items():
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.names = [r for r in names.names if r.nameID not in (1, 2, 3, 4, 6) or r.langID in (0x409, 0)]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = f"{family} {style}"
        top.FamilyName = family


def build(job: FontJob, extra_dirs: list[Path], out_dir: Path) -> Path:
    font = open_font(find_source(job.source_file, extra_dirs), job.source_family)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    # Screen hinting is useless in print and WeasyPrint drops it when embedding anyway.
    options.hinting = False
    # Tables fontTools cannot subset and nobody reads when printing horizontal text.
    options.drop_tables += ["FFTM", "vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints(job)))
    subsetter.subset(font)
    rename(font, job.family, job.style)
    target = out_dir / job.output
    font.save(target)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", action="append", type=Path, default=[], help="extra folder to look for sources")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    for job in JOBS:
        target = build(job, args.source, args.out)
        print(f"{target.name}: {target.stat().st_size / 1024:.0f} KiB", file=sys.stdout)


if __name__ == "__main__":
    main()
