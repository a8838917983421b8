"""Zips of the vendored third-party SCORM packages (tests/data/scorm/), and broken ones."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

DATA = Path(__file__).resolve().parent.parent / "data" / "scorm"
GOLF_12 = DATA / "golf-basic-runtime-scorm12"
GOLF_2004 = DATA / "golf-basic-runtime-scorm2004"


def zip_folder(folder: Path, *, skip: tuple[str, ...] = (), extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name not in skip:
                archive.write(path, name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")
