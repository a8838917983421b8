"""Production: secure by default. Passes `manage.py check --deploy` with no warnings when
SECRET_KEY, ALLOWED_HOSTS, SITE_URL and CREDENTIAL_SIGNING_KEY are set for real."""

from django.core.exceptions import ImproperlyConfigured

from certifications.verification.keys import signing_key_from_text

from .base import *  # noqa: F403
from .base import CREDENTIAL_SIGNING_KEY, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Credential ids, the signing key's id and certificates' QR codes are built from SITE_URL and
# printed or signed once issued: a development default would send verifiers to a loopback address.
SITE_URL = env("SITE_URL", default="").strip().rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Set the SITE_URL environment variable to the site's public address, such as "
        "https://academy.example.com: links in e-mail, certificates' QR codes and credential ids use it."
    )
WAGTAILADMIN_BASE_URL = SITE_URL

# Every web process and worker must sign credentials with one and the same key, kept across
# deployments: a key generated on one server's disk would make other servers' credentials fail.
if not CREDENTIAL_SIGNING_KEY.strip():
    raise ImproperlyConfigured(
        "Set the CREDENTIAL_SIGNING_KEY environment variable: the Ed25519 key that signs certificates' "
        "portable credentials (base64 of a 32-byte seed, or PEM). Generate one with "
        'python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"'
    )
try:
    signing_key_from_text(CREDENTIAL_SIGNING_KEY)
except ValueError as error:
    raise ImproperlyConfigured(f"CREDENTIAL_SIGNING_KEY is not usable: {error}") from error

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each step of every render (and of parsing its own stylesheets on import)
    # at INFO: noise, not events.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
