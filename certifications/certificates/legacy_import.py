"""Importing the certificates a vendor issued in its previous system, from a CSV file.

`certificate_import_check` is the dry run: it reads the upload, refuses a file it cannot read as a
whole (empty, too big, not CSV, not UTF-8, columns missing) without keeping anything, and otherwise
stores the file with every row's errors, changing nothing else. `certificate_import_start` starts
the real run of a file without errors as the Celery task
`certifications.certificates.tasks.certificate_import_run`, which calls `certificate_import_run`:
chunk by chunk, it creates or links each holder's account by e-mail and issues each certificate
through `certificate_issue_imported`, the same recording a passed exam gets, with its original
dates. Idempotent by the previous system's id, per vendor: a second run, or a run resumed after a
crash, creates nothing twice."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certifications.certificates.issuing import certificate_issue_imported, certificates_imported_follow_up
from certifications.models import Certificate, CertificateImport, CertificationPage, DeliveryRightEvent
from certifications.rights.services import rights_recompute_queue
from community.emails import templated_email
from community.models import User, Vendor
from community.selectors import current_organisation_ids
from community.services import users_ensure

COLUMNS = ("email", "name", "certification", "issued_on", "expires_on", "legacy_id")
# Other spellings of the columns that exports of other systems use.
COLUMN_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "name_as_printed": "name",
    "holder_name": "name",
    "issued": "issued_on",
    "expires": "expires_on",
    "old_id": "legacy_id",
    "previous_id": "legacy_id",
    "id": "legacy_id",
}
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
ERRORS_KEPT = 500
CHUNK_SIZE = 500
LEGACY_ID_MAX_LENGTH = Certificate._meta.get_field("legacy_id").max_length
NAME_MAX_LENGTH = Certificate._meta.get_field("holder_name").max_length
# A run that has not moved for this long is taken to have lost its worker and may be resumed.
RUN_STALE_AFTER = timedelta(minutes=5)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(ValidationError):
    """The file cannot be read as a certificate list at all; nothing was kept."""


class ImportNotStartable(ValidationError):
    """The import has errors, is running, or has finished."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    name: str
    certification: CertificationPage
    issued_on: date
    expires_on: date
    legacy_id: str


# --- Reading the file -----------------------------------------------------------------------


def _column(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return COLUMN_ALIASES.get(name, name)


def import_file_read(*, data: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    """The file's records as (line, {column: text}), or `ImportFileError` saying why it cannot
    be read: not a .csv file, empty, over `MAX_BYTES` or `MAX_ROWS`, not UTF-8 text, not CSV,
    or missing some of `COLUMNS`. Commas or semicolons separate the cells."""
    if not file_name.lower().endswith((".csv", ".txt")):
        raise ImportFileError(_("Upload a CSV file (.csv)."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB; split it into smaller files.") % {"size": MAX_BYTES // 2**20}
        )
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV file. Save the spreadsheet as CSV UTF-8 and upload that."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text (line %(line)d). Save it as CSV UTF-8 and upload it again.")
            % {"line": data[: error.start].count(b"\n") + 1}
        ) from error
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [_column(cell) for cell in next(reader)]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise ImportFileError(
                _("Columns missing: %(missing)s. The first line must name the columns %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
            )
        positions = {column: header.index(column) for column in COLUMNS}
        records = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) == MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(rows)d rows; split it into smaller files.") % {"rows": MAX_ROWS}
                )
            values = {column: (cells[at] if at < len(cells) else "").strip() for column, at in positions.items()}
            records.append((reader.line_num, values))
    except csv.Error as error:
        raise ImportFileError(
            _("This is not a readable CSV file (line %(line)d: %(error)s).") % {"line": reader.line_num, "error": error}
        ) from error
    if not records:
        raise ImportFileError(_("The file has the column names but no certificates."))
    return records


# --- Checking the rows ----------------------------------------------------------------------


class _Certifications:
    """Finds a certification of the vendor by slug or title, whatever the case, and tells an
    unknown one from another vendor's; two queries for the whole file."""

    def __init__(self, *, vendor: Vendor, names: set[str]):
        self.vendor = vendor
        own = list(CertificationPage.objects.filter(vendor=vendor).select_related("vendor"))
        self.by_slug = {page.slug.lower(): page for page in own}
        self.by_title: dict[str, list[CertificationPage]] = {}
        for page in own:
            self.by_title.setdefault(page.title.lower(), []).append(page)
        unknown = {name for name in names if name not in self.by_slug and name not in self.by_title}
        others = CertificationPage.objects.exclude(vendor=vendor)
        self.elsewhere = {
            name.lower() for pair in others.values_list("slug", "title") for name in pair if name.lower() in unknown
        }

    def find(self, text: str) -> tuple[CertificationPage | None, str]:
        name = text.lower()
        if name in self.by_slug:
            return self.by_slug[name], ""
        titled = self.by_title.get(name, [])
        if len(titled) == 1:
            return titled[0], ""
        if titled:
            return None, _("%(name)s is the title of several certifications; use the slug.") % {"name": text}
        if name in self.elsewhere:
            return None, _("%(name)s is another vendor's certification.") % {"name": text}
        return None, _("%(vendor)s has no certification with the slug or title %(name)s.") % {
            "vendor": self.vendor.name,
            "name": text,
        }


def _date(text: str, label: str) -> tuple[date | None, str]:
    if not text:
        return None, _("%(column)s is missing.") % {"column": label}
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return date.fromisoformat(text), ""
    except ValueError:
        return None, _("%(column)s is not a date in the form YYYY-MM-DD: %(value)s.") % {"column": label, "value": text}


def import_rows_check(
    *, vendor: Vendor, records: list[tuple[int, dict[str, str]]], today: date
) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """Each record checked: the rows that can be imported, and (line, message) for every error of
    the others (a row may have several). A fixed number of queries, whatever the file's length."""
    certifications = _Certifications(vendor=vendor, names={values["certification"].lower() for _l, values in records})
    first_line: dict[str, int] = {}
    rows, errors = [], []
    for line, values in records:
        problems = []
        email = values["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("Not a valid e-mail address: %(value)s.") % {"value": values["email"] or "—"})
        name = values["name"]
        if not name:
            problems.append(_("The name as printed is missing."))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(_("The name as printed is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH})
        certification, problem = None, _("The certification is missing.")
        if values["certification"]:
            certification, problem = certifications.find(values["certification"])
        if problem:
            problems.append(problem)
        issued_on, problem = _date(values["issued_on"], "issued_on")
        if problem:
            problems.append(problem)
        elif issued_on > today:
            problems.append(_("issued_on is in the future."))
        expires_on, problem = _date(values["expires_on"], "expires_on")
        if problem:
            problems.append(problem)
        elif issued_on and expires_on <= issued_on:
            problems.append(_("The certificate expires before it was issued (expires_on is not after issued_on)."))
        legacy_id = values["legacy_id"]
        if not legacy_id:
            problems.append(_("legacy_id (the previous system's id) is missing."))
        elif len(legacy_id) > LEGACY_ID_MAX_LENGTH:
            problems.append(_("legacy_id is longer than %(max)d characters.") % {"max": LEGACY_ID_MAX_LENGTH})
        elif legacy_id in first_line:
            problems.append(
                _("legacy_id %(id)s is also on line %(line)d.") % {"id": legacy_id, "line": first_line[legacy_id]}
            )
        else:
            first_line[legacy_id] = line
        if problems:
            errors += [(line, problem) for problem in problems]
        else:
            rows.append(ImportRow(line, email, name, certification, issued_on, expires_on, legacy_id))
    return rows, errors


def _imported_legacy_ids(*, vendor_id: int, legacy_ids: list[str]) -> set[str]:
    return set(
        Certificate.objects.filter(vendor_id=vendor_id, legacy_id__in=legacy_ids).values_list("legacy_id", flat=True)
    )


# --- Dry run ----------------------------------------------------------------------------------


def certificate_import_check(
    *, vendor: Vendor, upload, invite_new: bool, uploaded_by: User | None, now: datetime | None = None
) -> CertificateImport:
    """The dry run of an uploaded file (`upload`: a Django `UploadedFile`). Refuses a file that
    cannot be read (`ImportFileError`, nothing kept); otherwise stores the file and returns its
    import, READY or INVALID with every row's errors (the first `ERRORS_KEPT` kept), and how many
    rows were imported before and will be skipped. Writes nothing else."""
    now = now or timezone.now()
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB; split it into smaller files.") % {"size": MAX_BYTES // 2**20}
        )
    data = upload.read()
    records = import_file_read(data=data, file_name=upload.name)
    rows, errors = import_rows_check(vendor=vendor, records=records, today=now.date())
    already = _imported_legacy_ids(vendor_id=vendor.pk, legacy_ids=[row.legacy_id for row in rows])
    with transaction.atomic():
        certificate_import = CertificateImport(
            vendor=vendor,
            uploaded_by=uploaded_by,
            created_at=now,
            file_name=upload.name[:255],
            invite_new=invite_new,
            status=CertificateImport.Status.INVALID if errors else CertificateImport.Status.READY,
            total=len(records),
            already_imported=len(already),
            errors=errors[:ERRORS_KEPT],
            error_count=len(errors),
        )
        certificate_import.file.save("certificates.csv", ContentFile(data), save=False)
        certificate_import.save()
    return certificate_import


# --- Real run ---------------------------------------------------------------------------------


def certificate_import_startable(certificate_import: CertificateImport, *, now: datetime) -> bool:
    """Ready, or running but without progress for `RUN_STALE_AFTER` (its worker died): resumable."""
    if certificate_import.status == CertificateImport.Status.READY:
        return True
    return certificate_import.status == CertificateImport.Status.RUNNING and (
        certificate_import.progressed_at is None or certificate_import.progressed_at < now - RUN_STALE_AFTER
    )


def certificate_import_start(
    *, certificate_import: CertificateImport, now: datetime | None = None
) -> CertificateImport:
    """Start (or resume, see `certificate_import_startable`) the real run of a checked file, as a
    task queued when this commits. Refuses (`ImportNotStartable`) one with errors, one running or
    one finished. The import's row is locked, so two clicks start one run."""
    now = now or timezone.now()
    with transaction.atomic():
        certificate_import = CertificateImport.objects.select_for_update().get(pk=certificate_import.pk)
        if not certificate_import_startable(certificate_import, now=now):
            raise ImportNotStartable(
                {
                    CertificateImport.Status.INVALID: _("Fix the file's errors and upload it again."),
                    CertificateImport.Status.RUNNING: _("This import is running."),
                    CertificateImport.Status.FINISHED: _("This import has finished."),
                }[certificate_import.status]
            )
        certificate_import.status = CertificateImport.Status.RUNNING
        certificate_import.started_at = certificate_import.started_at or now
        certificate_import.progressed_at = now
        certificate_import.done = 0
        certificate_import.save(update_fields=["status", "started_at", "progressed_at", "done"])
        transaction.on_commit(lambda: _run_queue(import_id=certificate_import.pk))
    return certificate_import


def _run_queue(*, import_id: int) -> None:
    from certifications.certificates.tasks import certificate_import_run as task

    task.delay(import_id)


def certificate_import_run(*, import_id: int, chunk_size: int = CHUNK_SIZE) -> CertificateImport:
    """The real run: reads the stored file again, checks every row against the platform as it is
    now, and imports the rows in chunks of `chunk_size`, each one transaction that also moves the
    progress on. A row whose id the vendor already has is skipped, so a rerun or a resumed run
    creates nothing twice; a row that no longer passes its check is counted as an error. After
    each chunk commits, its certificates' PDFs are queued and `certificate_changed` sent, and new
    accounts are invited (when asked); at the end, every organisation a holder belongs to has its
    rights recomputed once."""
    certificate_import = CertificateImport.objects.select_related("vendor").get(pk=import_id)
    if certificate_import.status != CertificateImport.Status.RUNNING:
        return certificate_import
    vendor = certificate_import.vendor
    with certificate_import.file.open("rb") as handle:
        data = handle.read()
    now = timezone.now()
    try:
        records = import_file_read(data=data, file_name=certificate_import.file_name)
    except ImportFileError as error:
        records, errors = [], [(1, " ".join(error.messages))]
        rows = []
    else:
        rows, errors = import_rows_check(vendor=vendor, records=records, today=now.date())
    CertificateImport.objects.filter(pk=import_id).update(
        errors=errors[:ERRORS_KEPT], error_count=len(errors), done=len(errors), progressed_at=now
    )
    for start in range(0, len(rows), chunk_size):
        _chunk_import(certificate_import=certificate_import, rows=rows[start : start + chunk_size])
    holder_ids = Certificate.objects.filter(legacy_import_id=import_id).values_list("holder_id", flat=True)
    for organisation_id in current_organisation_ids(user_ids=holder_ids):
        rights_recompute_queue(organisation_id=organisation_id, cause=DeliveryRightEvent.Cause.CERTIFICATE_ISSUED)
    CertificateImport.objects.filter(pk=import_id).update(
        status=CertificateImport.Status.FINISHED, finished_at=timezone.now(), progressed_at=timezone.now()
    )
    certificate_import.refresh_from_db()
    return certificate_import


def _chunk_import(*, certificate_import: CertificateImport, rows: list[ImportRow]) -> None:
    now = timezone.now()
    with transaction.atomic():
        done_before = _imported_legacy_ids(
            vendor_id=certificate_import.vendor_id, legacy_ids=[row.legacy_id for row in rows]
        )
        todo = [row for row in rows if row.legacy_id not in done_before]
        people: dict[str, str] = {}
        for row in todo:
            people.setdefault(row.email, row.name)
        users, new_emails = users_ensure(people=people)
        created = []
        for row in todo:
            certificate, was_created = certificate_issue_imported(
                holder=users[row.email],
                certification=row.certification,
                holder_name=row.name,
                issued_on=row.issued_on,
                expires_on=row.expires_on,
                legacy_id=row.legacy_id,
                legacy_import=certificate_import,
                now=now,
                follow_up=False,
            )
            if was_created:
                created.append(certificate)
        CertificateImport.objects.filter(pk=certificate_import.pk).update(
            done=F("done") + len(rows),
            created=F("created") + len(created),
            accounts_created=F("accounts_created") + len(new_emails),
            progressed_at=timezone.now(),
        )
        transaction.on_commit(lambda: certificates_imported_follow_up(certificates=created, organisations=False))
        if certificate_import.invite_new and new_emails:
            new_ids = [users[email].pk for email in new_emails]
            transaction.on_commit(lambda: _welcome_queue(user_ids=new_ids, import_id=certificate_import.pk))


def _welcome_queue(*, user_ids: list[int], import_id: int) -> None:
    from certifications.certificates.tasks import certificate_import_welcome

    for user_id in user_ids:
        certificate_import_welcome.delay(user_id, import_id)


def certificate_import_welcome_send(*, user_id: int, import_id: int) -> bool:
    """E-mail a holder whose account an import created: which vendor's certificates are here, and
    a link to choose a password (the site's password-reset link, which works once). Not sent to
    an account that has a password by now."""
    user = User.objects.filter(pk=user_id).first()
    certificate_import = CertificateImport.objects.select_related("vendor").filter(pk=import_id).first()
    if user is None or certificate_import is None or user.has_usable_password():
        return False
    with translation.override(user.preferred_language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
    context = {
        "user": user,
        "vendor": certificate_import.vendor,
        "count": Certificate.objects.filter(legacy_import_id=import_id, holder=user).count(),
        "password_url": settings.SITE_URL.rstrip("/") + path,
        "certificates_url": settings.SITE_URL.rstrip("/") + reverse("certifications:my_certificates"),
    }
    templated_email(
        "certifications/email/certificates_imported", context, to=user.email, language=user.preferred_language
    ).send()
    return True
