"""Named accounts: checking their e-mail domains and importing them from a spreadsheet.

A CSV import stores every valid row and reports each bad row with its number, so that a long
list is not held back by one typo; a row is written whole or not at all, and importing the
corrected file again updates the accounts already there (matched by company) instead of adding
them twice."""

import csv
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from community.models import User, Vendor
from partners.models import NamedAccount, NamedAccountDomain

IMPORT_MAX_ROWS = 5000
COMPANY_MAX = NamedAccount._meta.get_field("company").max_length
OWNER_NAME_MAX = NamedAccount._meta.get_field("owner_name").max_length

# Accepted spellings of each column, compared lower-case without spaces, "-" or "_".
COLUMNS = {
    "company": ("company", "companyname", "account"),
    "domains": ("domains", "domain", "emaildomains"),
    "owner_name": ("accountmanagername", "accountmanager", "ownername", "manager"),
    "owner_email": ("accountmanageremail", "owneremail", "manageremail"),
}
COLUMN_LABELS = {
    "company": "company",
    "domains": "domains",
    "owner_name": "account manager name",
    "owner_email": "account manager e-mail",
}

_is_domain = DomainNameValidator(accept_idna=False)


def domain_clean(value: str) -> str:
    """The domain in lower case (an address or a leading "@" is cut to its domain), or a
    ValidationError saying why it is not a real e-mail domain."""
    domain = value.strip().lower().rsplit("@", 1)[-1]
    if not domain:
        raise ValidationError(_("Enter an e-mail domain such as example.com."))
    try:
        _is_domain(domain)
    except ValidationError:
        raise ValidationError(
            _("“%(domain)s” is not an e-mail domain; write it like example.com.") % {"domain": domain}
        ) from None
    if "." not in domain or not re.search(r"\.[a-z]{2,63}$", domain):
        raise ValidationError(
            _("“%(domain)s” is not an e-mail domain; write it like example.com.") % {"domain": domain}
        )
    return domain


def domains_split(text: str) -> list[str]:
    """The domains of a cell, separated by spaces, semicolons or commas."""
    return [part for part in re.split(r"[\s;,]+", text or "") if part]


def domains_taken(*, vendor_id: int, domains, account_id: int | None = None) -> dict[str, str]:
    """Which of `domains` already belong to another of the vendor's accounts: domain → company."""
    taken = NamedAccountDomain.objects.filter(vendor_id=vendor_id, domain__in=list(domains)).select_related("account")
    if account_id is not None:
        taken = taken.exclude(account_id=account_id)
    return {row.domain: row.account.company for row in taken}


def domain_taken_message(domain: str, company: str) -> str:
    return _("%(domain)s already belongs to the named account %(company)s; a domain can belong to one account.") % {
        "domain": domain,
        "company": company,
    }


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    company: str
    domains: list[str]
    owner_name: str
    owner_email: str


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", (name or "").strip().lower())


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column index per field, and the labels of the required columns that are missing."""
    keys = [_header_key(name) for name in header]
    found = {}
    for name, spellings in COLUMNS.items():
        for index, key in enumerate(keys):
            if key in spellings:
                found[name] = index
                break
    return found, [COLUMN_LABELS[name] for name in COLUMNS if name not in found]


def _dialect(text: str) -> str:
    """Comma, or semicolon for the files spreadsheets write in locales where the comma is the
    decimal separator (the header line tells which)."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _row_problems(row: _Row) -> list[str]:
    problems = []
    if not row.company:
        problems.append(_("the company is missing"))
    elif len(row.company) > COMPANY_MAX:
        problems.append(_("the company name is longer than %(n)d characters") % {"n": COMPANY_MAX})
    if not row.domains:
        problems.append(_("no e-mail domain"))
    cleaned = []
    for domain in row.domains:
        try:
            cleaned.append(domain_clean(domain))
        except ValidationError as error:
            problems.append(error.messages[0])
    row.domains = list(dict.fromkeys(cleaned))
    if not row.owner_name:
        problems.append(_("the account manager's name is missing"))
    elif len(row.owner_name) > OWNER_NAME_MAX:
        problems.append(_("the account manager's name is longer than %(n)d characters") % {"n": OWNER_NAME_MAX})
    try:
        validate_email(row.owner_email)
    except ValidationError:
        problems.append(_("“%(email)s” is not an e-mail address") % {"email": row.owner_email})
    return problems


def named_accounts_parse(text: str) -> tuple[list[_Row], list[tuple[int, str]]]:
    """The file's rows (numbered as a spreadsheet numbers them, the header being row 1) and the
    problems of the file itself."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(text.splitlines(), delimiter=_dialect(text))
    header = next(reader, None)
    if not header:
        return [], [(1, _("The file is empty."))]
    columns, missing = _columns(header)
    if missing:
        return [], [(1, _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)})]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == IMPORT_MAX_ROWS:
            return rows, [(number, _("At most %(n)d accounts per file.") % {"n": IMPORT_MAX_ROWS})]

        values = {name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()}
        rows.append(
            _Row(
                number=number,
                company=values["company"],
                domains=domains_split(values["domains"]),
                owner_name=values["owner_name"],
                owner_email=values["owner_email"].lower(),
            )
        )
    return rows, []


@transaction.atomic
def named_accounts_import(*, vendor: Vendor, text: str, by: User) -> ImportResult:
    """Create or update (matched by company, case aside) the vendor's named accounts from CSV
    `text`; a row's domains replace the account's. Bad rows are reported and left out; nothing of
    a bad row is written. A domain may belong to one account only, in the file as in the vendor's
    list. The caller checks that `by` manages `vendor`."""
    result = ImportResult()
    rows, result.errors = named_accounts_parse(text)
    existing = {account.company.lower(): account for account in NamedAccount.objects.filter(vendor=vendor)}
    owners = dict(NamedAccountDomain.objects.filter(vendor=vendor).values_list("domain", "account__company").iterator())
    seen_companies: dict[str, int] = {}
    for row in rows:
        problems = _row_problems(row)
        key = row.company.lower()
        if key and key in seen_companies:
            problems.append(
                _("%(company)s is already on row %(row)d") % {"company": row.company, "row": seen_companies[key]}
            )
        for domain in row.domains:
            owner = owners.get(domain)
            if owner is not None and owner.lower() != key:
                problems.append(domain_taken_message(domain, owner))
        if problems:
            result.errors.append((row.number, "; ".join(problems)))
            continue
        seen_companies[key] = row.number
        account = existing.get(key)
        if account is None:
            account = NamedAccount.objects.create(
                vendor=vendor,
                company=row.company,
                owner_name=row.owner_name,
                owner_email=row.owner_email,
                created_by=by,
            )
            result.created.append(account.company)
        else:
            account.owner_name, account.owner_email = row.owner_name, row.owner_email
            account.save(update_fields=["owner_name", "owner_email"])
            result.updated.append(account.company)
        _domains_set(account, row.domains)
        for domain, owner in list(owners.items()):
            if owner.lower() == key and domain not in row.domains:
                del owners[domain]
        owners.update(dict.fromkeys(row.domains, account.company))
    result.errors.sort()
    return result


def _domains_set(account: NamedAccount, domains: list[str]) -> None:
    NamedAccountDomain.objects.filter(account=account).exclude(domain__in=domains).delete()
    have = set(NamedAccountDomain.objects.filter(account=account).values_list("domain", flat=True))
    NamedAccountDomain.objects.bulk_create(
        [NamedAccountDomain(account=account, vendor_id=account.vendor_id, domain=d) for d in domains if d not in have]
    )
