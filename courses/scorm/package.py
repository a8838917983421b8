"""Check an uploaded SCORM zip before anything is stored, then extract it through the default
storage under an unguessable prefix. Every refusal is a ValidationError whose message names the
problem, raised before the first file is written."""

import posixpath
import secrets
import stat
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MANIFEST = "imsmanifest.xml"
STORAGE_ROOT = "scorm"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Manifests are a few kilobytes; a bigger one is not a manifest we want to parse.
MANIFEST_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    """What a valid package holds: its version ("1.2" or "2004"), title, launch address (a
    path inside the package, with any query string the manifest gives) and sizes."""

    version: str
    title: str
    launch: str
    file_count: int
    unpacked_bytes: int


def package_inspect(upload) -> Inspected:
    """Validate an uploaded zip (a Django UploadedFile or any binary file object): size limits,
    zip-bomb ratio, member paths, the manifest and its launch file."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > settings.SCORM_MAX_PACKAGE_BYTES:
        raise ValidationError(
            _("The package is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.SCORM_MAX_PACKAGE_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(_("The file is not a zip archive."), code="not_zip")
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        members = _members(archive, packed_bytes=size)
        if MANIFEST not in members:
            raise ValidationError(
                _("The package has no imsmanifest.xml at its top level: this is not a SCORM package."),
                code="no_manifest",
            )
        manifest = _manifest(archive, members[MANIFEST])
        version = _version(manifest)
        title, launch = _launch(manifest)
        launch_path = unquote(urlsplit(launch).path)
        if launch_path not in members:
            raise ValidationError(
                _("The launch file %(path)s named in the manifest is not in the package.") % {"path": launch_path},
                code="no_launch_file",
            )
        return Inspected(
            version=version,
            title=title,
            launch=launch,
            file_count=len(members),
            unpacked_bytes=sum(info.file_size for info in members.values()),
        )


def package_extract(upload) -> str:
    """Write every file of an inspected package to the default storage under
    `scorm/<random key>/` and return the key. A member that turns out larger than its header
    said stops the extraction (and removes what was written)."""
    key = secrets.token_urlsafe(24)
    written: list[str] = []
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for name, info in _members(archive, packed_bytes=None).items():
                with archive.open(info) as member:
                    data = member.read(info.file_size + 1)
                if len(data) > info.file_size:
                    raise ValidationError(_("The package's file sizes do not match its contents."), code="bomb")
                written.append(default_storage.save(storage_path(key, name), ContentFile(data)))
    except BaseException:
        for path in written:
            default_storage.delete(path)
        raise
    return key


def storage_path(key: str, name: str) -> str:
    return f"{STORAGE_ROOT}/{key}/{name}"


def safe_member_name(name: str) -> str | None:
    """The normalised path of a member inside the package, or None when it would land outside
    it (absolute, a drive letter, `..`)."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    normal = posixpath.normpath(name)
    if normal in (".", "..") or normal.startswith("../") or "\x00" in normal:
        return None
    return normal


def _members(archive: zipfile.ZipFile, *, packed_bytes: int | None) -> dict[str, zipfile.ZipInfo]:
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > settings.SCORM_MAX_FILES:
        raise ValidationError(
            _("The package holds %(count)d files; the limit is %(limit)d.")
            % {"count": len(infos), "limit": settings.SCORM_MAX_FILES},
            code="too_many_files",
        )
    total = sum(info.file_size for info in infos)
    if total > settings.SCORM_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("Unpacked, the package would take %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(settings.SCORM_MAX_UNPACKED_BYTES)},
            code="bomb",
        )
    if packed_bytes and total > settings.SCORM_MAX_COMPRESSION_RATIO * max(packed_bytes, 1):
        raise ValidationError(
            _("The package unpacks to more than %(ratio)d times its size, which looks like a zip bomb.")
            % {"ratio": settings.SCORM_MAX_COMPRESSION_RATIO},
            code="bomb",
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValidationError(
                _("The package contains a symbolic link (%(name)s), which is not allowed.") % {"name": info.filename},
                code="symlink",
            )
        name = safe_member_name(info.filename)
        if name is None:
            raise ValidationError(
                _("The file %(name)s would be stored outside the package.") % {"name": info.filename},
                code="unsafe_path",
            )
        members[name] = info
    return members


def _manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Element:
    if info.file_size > MANIFEST_MAX_BYTES:
        raise ValidationError(_("imsmanifest.xml is too large to be a manifest."), code="bad_manifest")
    try:
        with archive.open(info) as member:
            return ElementTree.fromstring(member.read(MANIFEST_MAX_BYTES + 1))
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise ValidationError(
            _("imsmanifest.xml cannot be read: %(error)s") % {"error": error}, code="bad_manifest"
        ) from error


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def _version(manifest: Element) -> str:
    """SCORM 1.2 or 2004 from the metadata's schemaversion, else from the namespaces used."""
    if _local(manifest) != "manifest":
        raise ValidationError(_("imsmanifest.xml does not start with a <manifest> element."), code="bad_manifest")
    for metadata in _children(manifest, "metadata"):
        for schemaversion in _children(metadata, "schemaversion"):
            text = (schemaversion.text or "").strip()
            if text == "1.2":
                return "1.2"
            if text.startswith("2004") or text == "CAM 1.3":
                return "2004"
    namespaces = {element.tag.split("}", 1)[0] for element in manifest.iter() if element.tag.startswith("{")}
    namespaces |= {name.split("}", 1)[0] for element in manifest.iter() for name in element.attrib if "}" in name}
    if any("adlcp_v1p3" in ns or "imsss" in ns for ns in namespaces):
        return "2004"
    if any("adlcp_rootv1p2" in ns for ns in namespaces):
        return "1.2"
    raise ValidationError(
        _("The manifest does not say which SCORM version it follows (1.2 or 2004)."), code="unknown_version"
    )


def _launch(manifest: Element) -> tuple[str, str]:
    """The default organisation's title and the address of its first launchable item: the
    resource's href under the xml:base of the manifest, its resources and the resource."""
    organizations = next(iter(_children(manifest, "organizations")), None)
    resources = next(iter(_children(manifest, "resources")), None)
    if organizations is None or resources is None:
        raise ValidationError(_("The manifest has no organisation or no resources."), code="no_launch")
    candidates = _children(organizations, "organization")
    default = organizations.get("default")
    organization = next((o for o in candidates if o.get("identifier") == default), None) or next(iter(candidates), None)
    if organization is None:
        raise ValidationError(_("The manifest has no organisation to launch."), code="no_launch")
    title = next((t.text.strip() for t in _children(organization, "title") if t.text), "")
    by_id = {r.get("identifier"): r for r in _children(resources, "resource")}
    for item in organization.iter():
        if _local(item) != "item" or not item.get("identifierref"):
            continue
        resource = by_id.get(item.get("identifierref"))
        if resource is None or not resource.get("href"):
            continue
        base = "".join(e.get(XML_BASE, "") for e in (manifest, resources, resource))
        href = base + resource.get("href")
        parameters = (item.get("parameters") or "").lstrip("?&")
        if parameters:
            href += ("&" if "?" in href else "?") + parameters
        split = urlsplit(href)
        path = safe_member_name(unquote(split.path)) if not split.scheme and not split.netloc else None
        if path is None:
            raise ValidationError(
                _("The launch address %(href)s is outside the package.") % {"href": href}, code="unsafe_path"
            )
        return title, path + (f"?{split.query}" if split.query else "")
    raise ValidationError(_("No item of the default organisation has a launchable resource."), code="no_launch")
