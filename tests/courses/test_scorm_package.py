"""Checking uploaded SCORM packages: the real third-party samples pass, and every broken
package is refused with its reason before anything is stored."""

import io
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from courses.models import ScormPackage
from courses.scorm.package import package_inspect
from courses.scorm.services import scorm_package_create
from tests.courses.scorm_zips import GOLF_12, GOLF_2004, upload, zip_folder

MANIFEST_12 = (GOLF_12 / "imsmanifest.xml").read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        package_inspect(upload(data))
    return error.value.code


def test_golf_scorm12_sample_is_version_12_and_launches_its_launch_page():
    inspected = package_inspect(upload(zip_folder(GOLF_12)))
    assert inspected.version == "1.2"
    assert inspected.launch == "shared/launchpage.html"
    assert inspected.title == "Golf Explained - Run-time Basic Calls"


def test_golf_scorm2004_sample_is_version_2004():
    inspected = package_inspect(upload(zip_folder(GOLF_2004)))
    assert inspected.version == "2004"
    assert inspected.launch == "shared/launchpage.html"


def test_xml_base_and_item_parameters_make_the_launch_address():
    manifest = MANIFEST_12.replace(b"<resources>", b'<resources xml:base="shared/">').replace(
        b'href="shared/launchpage.html"', b'href="launchpage.html"'
    )
    manifest = manifest.replace(b'identifierref="resource_1"', b'identifierref="resource_1" parameters="?mode=x"')
    data = zip_folder(GOLF_12, skip=("imsmanifest.xml",), extra={"imsmanifest.xml": manifest})
    assert package_inspect(upload(data)).launch == "shared/launchpage.html?mode=x"


def test_not_a_zip_is_refused():
    assert _refused(b"%PDF-1.7 not a zip") == "not_zip"


def test_zip_without_manifest_is_refused():
    assert _refused(_zip({"index.html": b"<p>hi</p>"})) == "no_manifest"


def test_unparsable_manifest_is_refused():
    assert _refused(_zip({"imsmanifest.xml": b"<manifest><unclosed>"})) == "bad_manifest"


def test_manifest_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>'
    assert _refused(_zip({"imsmanifest.xml": bomb})) == "bad_manifest"


def test_missing_launch_file_is_refused():
    data = zip_folder(GOLF_12, skip=("shared/launchpage.html",))
    with pytest.raises(ValidationError, match="shared/launchpage.html"):
        package_inspect(upload(data))


@pytest.mark.parametrize("name", ["../evil.html", "/etc/evil.html", "shared/../../evil.html", "C:/evil.html"])
def test_member_escaping_the_package_is_refused(name):
    assert _refused(zip_folder(GOLF_12, extra={name: b"x"})) == "unsafe_path"


def test_launch_href_escaping_the_package_is_refused():
    manifest = MANIFEST_12.replace(b'href="shared/launchpage.html"', b'href="../outside.html"')
    data = zip_folder(GOLF_12, skip=("imsmanifest.xml",), extra={"imsmanifest.xml": manifest})
    assert _refused(data) == "unsafe_path"


def test_symlink_member_is_refused():
    buffer = io.BytesIO(zip_folder(GOLF_12))
    with zipfile.ZipFile(buffer, "a") as archive:
        link = zipfile.ZipInfo("shared/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert _refused(buffer.getvalue()) == "symlink"


def test_zip_bomb_by_ratio_is_refused():
    assert _refused(_zip({"imsmanifest.xml": MANIFEST_12, "zeros.bin": b"\0" * 20_000_000})) == "bomb"


def test_zip_bomb_by_total_size_is_refused(settings):
    settings.SCORM_MAX_UNPACKED_BYTES = 100_000
    assert _refused(zip_folder(GOLF_12)) == "bomb"


def test_package_over_the_size_limit_is_refused(settings):
    settings.SCORM_MAX_PACKAGE_BYTES = 1000
    assert _refused(zip_folder(GOLF_12)) == "too_large"


def test_manifest_without_a_version_is_refused():
    manifest = MANIFEST_12.replace(b"<schemaversion>1.2</schemaversion>", b"").replace(b"adlcp_rootv1p2", b"other")
    assert _refused(zip_folder(GOLF_12, skip=("imsmanifest.xml",), extra={"imsmanifest.xml": manifest})) == (
        "unknown_version"
    )


@pytest.mark.django_db
def test_stored_package_files_sit_under_a_random_prefix():
    data = zip_folder(GOLF_12)
    first = scorm_package_create(upload=upload(data), inspected=package_inspect(upload(data)), user=None)
    second = scorm_package_create(upload=upload(data), inspected=package_inspect(upload(data)), user=None)
    assert first.key != second.key and len(first.key) >= 32
    assert default_storage.exists(f"scorm/{first.key}/shared/launchpage.html")
    assert first.file_count == len([p for p in GOLF_12.rglob("*") if p.is_file()])


@pytest.mark.django_db
def test_refused_package_stores_nothing():
    with pytest.raises(ValidationError):
        package_inspect(upload(zip_folder(GOLF_12, extra={"../x": b"x"})))
    assert not ScormPackage.objects.exists()
    assert not default_storage.exists("scorm")
