"""Who may load a package's files, and from where.

Packages run on a separate origin (settings.SCORM_CONTENT_ORIGIN): a host that never receives
the site's cookies, so package JavaScript cannot ride the learner's session, and the browser's
same-origin rule keeps it out of the lesson page. The SCORM run time needs the package to find
`API` / `API_1484_11` in a parent frame of its own origin, so the launcher that hosts the API sits
on the content origin too, and relays CMI data to the lesson page by postMessage; the lesson
page (site origin, CSRF-protected) commits it. With no cookie on that origin, the right to load a
file travels in the path: a signed, expiring token naming the learner, lesson, course and
package, checked on every request with one indexed query (the learner is still enrolled)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Exists

from courses.models import Enrolment, ScormPackage

SALT = "courses.scorm.content"


@dataclass(frozen=True)
class Grant:
    """The right to load one package's files. The token is signed, not encrypted, so it names
    the package by id: its storage key never reaches the browser."""

    user_id: int
    course_id: int | None  # None for an editor's preview
    package_id: int
    site_origin: str  # the lesson page's origin, the only one allowed to frame the launcher


@dataclass(frozen=True)
class Granted:
    grant: Grant
    package: ScormPackage


def grant_token(*, grant: Grant) -> str:
    payload = {"u": grant.user_id, "c": grant.course_id, "p": grant.package_id, "o": grant.site_origin}
    return signing.dumps(payload, salt=SALT, compress=True)


def grant_check(token: str) -> Granted | None:
    """The grant a token carries while it is genuine and unexpired, its package exists and its
    learner is still enrolled; one query."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SCORM_CONTENT_TOKEN_MAX_AGE)
        grant = Grant(
            user_id=int(data["u"]),
            course_id=None if data["c"] is None else int(data["c"]),
            package_id=int(data["p"]),
            site_origin=str(data["o"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    packages = ScormPackage.objects.filter(pk=grant.package_id).only("key", "version", "launch", "title")
    if grant.course_id is not None:
        packages = packages.filter(Exists(Enrolment.objects.filter(user_id=grant.user_id, course_id=grant.course_id)))
    package = packages.first()
    return Granted(grant=grant, package=package) if package is not None else None


def content_origin() -> str:
    return settings.SCORM_CONTENT_ORIGIN.rstrip("/")


def content_host() -> str:
    return urlsplit(content_origin()).netloc.lower()


def is_content_request(request) -> bool:
    return bool(content_host()) and request.get_host().lower() == content_host()
