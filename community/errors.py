"""Error pages, and the sentence a refusal shows the person it refuses."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.loader import get_template


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without context processors: the failure may be in them or in the database."""
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render({"request": request}))


def error_text(error: ValidationError) -> str:
    """A refusal's messages as one sentence for a flash message or a form error."""
    return " ".join(error.messages)
