"""The domain's rules are written once: a current membership, a certificate valid on a day, a
right held now, the renewal window and the holder's local date. Every other module asks the
definition, so a rule changes in one place; this scan fails when one is written out again."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "migrations", ".venv", "node_modules", ".git"}

# (rule, pattern that restates it, the one module allowed to, a restatement it must catch)
RULES = [
    (
        "current membership",
        re.compile(r"left_at__isnull"),
        "community/models/organisations.py",
        "Membership.objects.filter(user=user, left_at__isnull=True)",
    ),
    (
        "certificate valid on a day",
        re.compile(r"expires_on__gt\b\S*[\"']?\s*[=:]\s*(?!models\.F)[\w.()]+\s*([,)]|$)"),
        "certifications/models/certificates.py",
        "Q(status=Certificate.Status.VALID, expires_on__gt=now.date())",
    ),
    (
        "certificate superseded, so no longer counting",
        re.compile(r"superseded_by__supersedes_counts_until"),
        "certifications/models/certificates.py",
        "Certificate.objects.exclude(certification__superseded_by__supersedes_counts_until__lt=day)",
    ),
    (
        "delivery right held",
        re.compile(r"""status__in\s*=\s*[\[(]\s*(RightStatus\.ACTIVE|["']active["'])"""),
        "certifications/models/rights.py",
        'OrganisationDeliveryRight.objects.filter(status__in=["active", "grace"])',
    ),
    (
        "renewal window",
        re.compile(r"timedelta\([^)]*renewal_window_days|[-+]\s*[\w.]*renewal_window_days"),
        "certifications/certificates/renewal.py",
        "opens_on = certificate.expires_on - timedelta(days=certificate.certification.renewal_window_days)",
    ),
    (
        "holder's local date",
        re.compile(r"astimezone\(\s*(zoneinfo\.)?ZoneInfo\("),
        "certifications/certificates/renewal.py",
        "today = now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()",
    ),
]


def application_sources() -> list[Path]:
    return [path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])]


@pytest.mark.parametrize(("rule", "pattern", "home", "restatement"), RULES, ids=[rule[0] for rule in RULES])
def test_rule_is_written_only_in_its_definition(rule, pattern, home, restatement):
    assert (ROOT / home).is_file()
    restated = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in application_sources()
        if path.relative_to(ROOT).as_posix() != home
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not restated, f"The {rule} rule is defined in {home}; use it instead of:\n" + "\n".join(restated)


@pytest.mark.parametrize(("rule", "pattern", "home", "restatement"), RULES, ids=[rule[0] for rule in RULES])
def test_scan_recognises_a_restatement(rule, pattern, home, restatement):
    assert pattern.search(restatement)
