"""E-mails written as three templates: `<name>_subject.txt`, `<name>_message.txt` and
`<name>_message.html`, rendered in the recipient's language."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def templated_email(name: str, context: dict, *, to: str, language: str, headers=None) -> EmailMultiAlternatives:
    """The message, ready to send (or to attach files to first). `name` is the templates' common
    prefix, e.g. "community/email/invitation"; the subject is folded onto one line."""
    with translation.override(language or "en"):
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        body = render_to_string(f"{name}_message.txt", context)
        html = render_to_string(f"{name}_message.html", context)
    message = EmailMultiAlternatives(subject, body, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
