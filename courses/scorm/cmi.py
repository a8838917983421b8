"""What a package's CMI data says, read the same way for SCORM 1.2 and 2004. The data is
scorm-again's JSON rendering of the data model (`{"core": {...}}` for 1.2, `{"completion_status":
...}` for 2004), as the launcher posts it."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted", ""}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown", ""}
SUCCESS_2004 = {"passed", "failed", "unknown", ""}
# Elements the LMS sets at launch and the package must not carry from one session to the next.
SESSION_ONLY = {"session_time", "entry"}


@dataclass(frozen=True)
class Outcome:
    completion_status: str
    success_status: str
    score: Decimal | None

    @property
    def completes_lesson(self) -> bool:
        """Completed or passed, and not failed: what finishing a native lesson means."""
        if self.success_status == "failed":
            return False
        return self.completion_status == "completed" or self.success_status == "passed"


def cmi_outcome(*, version: str, cmi: dict) -> Outcome:
    """Read status and score; an unknown status value is refused (ValidationError)."""
    if version == "1.2":
        core = _dict(cmi.get("core"))
        status = str(core.get("lesson_status", "")).strip()
        if status not in STATUSES_12:
            raise ValidationError(_("Unknown lesson status."), code="status")
        completion = "completed" if status in {"passed", "completed", "failed"} else status
        success = status if status in {"passed", "failed"} else ""
        return Outcome(completion, success, _score(_dict(core.get("score")).get("raw")))
    completion = str(cmi.get("completion_status", "")).strip()
    success = str(cmi.get("success_status", "")).strip()
    if completion not in COMPLETION_2004 or success not in SUCCESS_2004:
        raise ValidationError(_("Unknown completion or success status."), code="status")
    score = _dict(cmi.get("score"))
    raw = _score(score.get("raw"))
    if raw is None and (scaled := _score(score.get("scaled"))) is not None:
        raw = (scaled * 100).quantize(Decimal("0.01"))
    return Outcome(completion, success, raw)


def cmi_for_resume(*, version: str, cmi: dict) -> dict:
    """The stored data to load into a new session: without session-only elements, and with
    `entry` set to resume when the package suspended last time (the LMS's job in both versions)."""
    if version == "1.2":
        core = {k: v for k, v in _dict(cmi.get("core")).items() if k not in SESSION_ONLY}
        suspended = core.pop("exit", "") == "suspend"
        core["entry"] = "resume" if suspended else ("" if cmi else "ab-initio")
        return {**{k: v for k, v in cmi.items() if k != "core"}, "core": core}
    data = {k: v for k, v in cmi.items() if k not in SESSION_ONLY}
    suspended = data.pop("exit", "") == "suspend"
    data["entry"] = "resume" if suspended else ("" if cmi else "ab-initio")
    return data


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        return None
    if not score.is_finite() or abs(score) >= 100000:
        return None
    return score.quantize(Decimal("0.01"))
