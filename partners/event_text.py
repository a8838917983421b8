"""One sentence per marketplace event, in the active language: the customer's timeline, the
partner's and vendor's notices and the e-mails all say the same thing. Reads
`event.organisation` and `event.detail`; select the organisation with the events."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import DeclineReason, MarketplaceEvent

Kind = MarketplaceEvent.Kind


def event_sentence(event: MarketplaceEvent) -> str:
    partner = event.organisation.name if event.organisation_id else ""
    detail = event.detail or {}
    sentences = {
        Kind.REQUEST_CREATED: lambda: _("Request received; waiting for the e-mail address to be confirmed."),
        Kind.REQUEST_CONFIRMED: lambda: _("E-mail address confirmed; looking for authorised partners."),
        Kind.REQUEST_TO_VENDOR: lambda: (
            _("Your company is one of the vendor's named accounts: %(owner)s (%(email)s) will contact you.")
            % {"owner": detail.get("owner", ""), "email": detail.get("owner_email", "")}
        ),
        Kind.REQUEST_TO_OWNER: lambda: _("Passed to the partner already working with your company."),
        Kind.REQUEST_UNMATCHED: lambda: _(
            "No authorised partner is free to take the request now; the vendor has been told."
        ),
        Kind.OFFERED: lambda: (
            (_("Offered to %(partner)s (renewal pending).") if detail.get("in_grace") else _("Offered to %(partner)s."))
            % {"partner": partner}
        ),
        Kind.DEADLINE_NEAR: lambda: _("%(partner)s has little time left to answer.") % {"partner": partner},
        Kind.ACCEPTED: lambda: _("%(partner)s accepted and will contact you.") % {"partner": partner},
        Kind.DECLINED: lambda: (
            _("%(partner)s declined: %(reason)s.") % {"partner": partner, "reason": _reason(detail.get("reason", ""))}
        ),
        Kind.EXPIRED: lambda: _("%(partner)s did not answer in time.") % {"partner": partner},
        Kind.WITHDRAWN: lambda: _("Withdrawn from %(partner)s: another partner accepted.") % {"partner": partner},
        Kind.DELIVERED: lambda: _("%(partner)s marked the work delivered.") % {"partner": partner},
        Kind.TEAM_INVITED: lambda: _("%(partner)s was invited to join the team.") % {"partner": partner},
        Kind.TEAM_JOINED: lambda: _("%(partner)s joined the team.") % {"partner": partner},
        Kind.TEAM_DECLINED: lambda: _("%(partner)s declined to join the team.") % {"partner": partner},
        Kind.SURVEY_ANSWERED: lambda: _("The customer answered the satisfaction survey."),
        Kind.REGISTERED: lambda: (
            (
                _("%(partner)s registered the opportunity; it conflicts with an earlier registration.")
                if detail.get("conflict")
                else _("%(partner)s registered the opportunity.")
            )
            % {"partner": partner}
        ),
        Kind.CONFLICT: lambda: _(
            "Another partner's registration for this customer and product conflicts with this one; the vendor decides."
        ),
        Kind.APPROVED: lambda: (
            (
                _("The vendor decided the conflict for this registration: protected until %(date)s.")
                if detail.get("conflict")
                else _("Approved: protected until %(date)s.")
            )
            % {"date": _date(detail.get("protected_until"))}
            + _note(detail)
        ),
        Kind.REJECTED: lambda: (
            (
                _("The vendor decided the conflict for the other registration.")
                if detail.get("conflict")
                else _("Rejected.")
            )
            + _note(detail)
        ),
        Kind.PROTECTION_RENEWED: lambda: (
            _("Protection renewed until %(date)s.") % {"date": _date(detail.get("protected_until"))}
        ),
        Kind.PROTECTION_ENDED: lambda: _("Protection ended; the customer is open to every partner again."),
        Kind.COMMENT_REPLIED: lambda: _("%(partner)s replied to the customer's comment.") % {"partner": partner},
        Kind.COMMENT_HIDDEN: lambda: (
            _("The vendor hid a customer's comment on %(partner)s's work.") % {"partner": partner}
        ),
    }
    sentence = sentences.get(event.kind)
    return sentence() if sentence else f"{event.get_kind_display()}{': ' + partner if partner else ''}."


def _date(iso: str | None) -> str:
    return date_format(date.fromisoformat(iso)) if iso else ""


def _note(detail: dict) -> str:
    return " " + detail["note"] if detail.get("note") else ""


def _reason(code: str) -> str:
    return str(dict(DeclineReason.choices).get(code, code)).lower()
