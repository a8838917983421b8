"""Signed links for people without an account: the customer's confirmation and follow links and
the survey link. Each salt makes a link good for one purpose only; the signature is the secret."""

from django.core import signing

CONFIRM = "partners.request.confirm"
FOLLOW = "partners.request.follow"
SURVEY = "partners.engagement.survey"

# A confirmation link is good for three days; follow and survey links do not expire.
CONFIRM_MAX_AGE = 3 * 24 * 3600


def token_make(purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=purpose, compress=False)


def token_read(purpose: str, token: str, *, max_age: int | None = None) -> int | None:
    """The id the token was made for, or None for a forged, altered or expired token."""
    try:
        value = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
