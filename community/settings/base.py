"""Settings shared by every environment. Every difference between environments comes from
environment variables read here; the per-environment modules only change defaults."""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address that links leaving the site, certificates' QR codes and credential ids are
# built from. Unset (development), it follows the port `make run` serves on; production requires it.
SITE_URL = (env("SITE_URL", default="") or f"http://127.0.0.1:{env('PORT', default='') or '8000'}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Partner Academy"
# No Gravatar: admin avatars are uploads or initials (community.avatars).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Ed25519 key that signs portable credentials: PEM (PKCS#8) or base64 of the 32-byte seed. When
# unset (development), certifications/verification/keys.py generates one once into CREDENTIAL_KEY_DIR.
CREDENTIAL_SIGNING_KEY = env("CREDENTIAL_SIGNING_KEY", default="")
CREDENTIAL_KEY_DIR = VAR_DIR / "keys"

INSTALLED_APPS = [
    # Our apps first so their templates override third-party ones.
    "community",
    "courses",
    "certifications",
    "partners",
    "forums",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    # Editors translate pages and snippets into another locale from the page's action menu.
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "community.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    # The API's interactive docs (/api/v1/docs) with their assets served from here, not a CDN.
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "courses.scorm.middleware.ContentOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "community.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "community.context_processors.site",
            ],
        },
    },
]

# An empty variable counts as unset, as it does for REDIS_URL below.
DATABASES = {
    "default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# Persistent connections are checked before reuse, so a database restart costs no failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and in-process tasks share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- django-allauth -------------------------------------------------------------------------
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partner Academy] "
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "community.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="5/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# How many proxies in front of the site append to X-Forwarded-For; rate limits count per client
# address, which behind a proxy only that header tells. 0: use the connection's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Partner Academy"
SOCIALACCOUNT_ADAPTER = "community.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Single sign-on: a vendor's identity providers, each a JSON list of allauth "APPS" entries
# (see README, "Single sign-on"). Empty by default.
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": env.json("SSO_OIDC_PROVIDERS", default=[]), "OAUTH_PKCE_ENABLED": True},
    "saml": {"APPS": env.json("SSO_SAML_PROVIDERS", default=[])},
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The site's catalogue first; then our corrections of allauth's Chinese (see that catalogue's header).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
FORMAT_MODULE_PATH = ["community.formats"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# SCORM packages run on their own origin, a host that never gets the site's cookies (see
# courses.scorm.access). Empty: SCORM lessons show that playback is not set up.
SCORM_CONTENT_ORIGIN = env("SCORM_CONTENT_ORIGIN", default="").rstrip("/")
if SCORM_CONTENT_ORIGIN:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, SCORM_CONTENT_ORIGIN.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]]
SCORM_MAX_PACKAGE_BYTES = env.int("SCORM_MAX_PACKAGE_BYTES", default=300 * 1024 * 1024)
SCORM_MAX_UNPACKED_BYTES = env.int("SCORM_MAX_UNPACKED_BYTES", default=1024 * 1024 * 1024)
SCORM_MAX_COMPRESSION_RATIO = env.int("SCORM_MAX_COMPRESSION_RATIO", default=100)
SCORM_MAX_FILES = env.int("SCORM_MAX_FILES", default=20000)
SCORM_MAX_CMI_BYTES = env.int("SCORM_MAX_CMI_BYTES", default=256 * 1024)
SCORM_CONTENT_TOKEN_MAX_AGE = env.int("SCORM_CONTENT_TOKEN_MAX_AGE", default=12 * 3600)

MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": env("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env("MEDIA_S3_BUCKET"),
        "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
        "region_name": env("MEDIA_S3_REGION", default=None),
        "access_key": env("MEDIA_S3_ACCESS_KEY", default=None),
        "secret_key": env("MEDIA_S3_SECRET_KEY", default=None),
        "default_acl": "private",
        "querystring_auth": True,
    }
FORMS_URLFIELD_ASSUME_HTTPS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url_config(env("EMAIL_URL", default="") or "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Partner Academy <academy@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, tasks run in-process (eagerly), so a bare machine needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# Beat keeps its last-run times here; run exactly one beat process per deployment.
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))
CELERY_BEAT_SCHEDULE: dict = {
    "expire-invitations": {
        "task": "community.tasks.invitations_expire",
        "schedule": 60 * 60,
    },
    "forum-daily-digest": {
        "task": "forums.tasks.notifications_send_digests",
        "schedule": 24 * 60 * 60,
    },
    "exam-attempts-submit-overdue": {
        "task": "certifications.tasks.attempts_submit_overdue",
        "schedule": 60,
    },
    "delivery-rights-recheck": {
        "task": "certifications.tasks.rights_recheck_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # Expiry first, before the rights re-check, so rights never count a certificate past its date.
    "marketplace-offers-sweep": {
        "task": "partners.tasks.offers_sweep",
        "schedule": 5 * 60,
    },
    "marketplace-opportunities-sweep": {
        "task": "partners.tasks.opportunities_sweep",
        "schedule": crontab(hour=3, minute=0),
    },
    # After the rights re-check, so tiers see the rights as the night left them.
    "partner-tiers-sweep": {
        "task": "partners.tasks.tiers_sweep",
        "schedule": crontab(hour=3, minute=15),
    },
    "certificates-daily": {
        "task": "certifications.tasks.certificates_daily",
        "schedule": crontab(hour=2, minute=0),
    },
    "webhook-messages-sweep": {
        "task": "community.tasks.webhook_messages_sweep",
        "schedule": 60,
    },
    "certificate-archives-sweep": {
        "task": "certifications.tasks.certificate_archives_sweep",
        "schedule": 60 * 60,
    },
}

# --- Wagtail --------------------------------------------------------------------------------
# Wagtail's database search with Chinese segmented (community/search/); PostgreSQL stems
# English with its `english` configuration whatever the server's default.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "community.search", "SEARCH_CONFIG": "english"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "zip", "txt", "md", "docx", "xlsx", "pptx", "csv", "yaml", "json"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
# Pages and snippets carry a locale; a translation shares its original's translation_key.
WAGTAIL_I18N_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# --- Partner Academy ------------------------------------------------------------------------
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Forums: how many of a new account's first posts wait for a moderator (0: none), and at most
# how many posts a person may write per window of seconds (0: no limit).
FORUMS_HOLD_FIRST_POSTS = env.int("FORUMS_HOLD_FIRST_POSTS", default=1)
FORUMS_RATE_LIMIT_POSTS = env.int("FORUMS_RATE_LIMIT_POSTS", default=5)
FORUMS_RATE_LIMIT_SECONDS = env.int("FORUMS_RATE_LIMIT_SECONDS", default=10 * 60)
FORUMS_MAX_POST_LENGTH = 20_000
# Certificate look-ups (verification pages and the certificates API) per client address per minute.
VERIFY_RATE_LIMIT = env.int("VERIFY_RATE_LIMIT", default=30)
# Calls with one API token per minute.
API_TOKEN_RATE_LIMIT = env.int("API_TOKEN_RATE_LIMIT", default=120)
# Customer requests for help (form and API) per hour, from one address and for one e-mail address.
REQUEST_RATE_LIMIT_ADDRESS = env.int("REQUEST_RATE_LIMIT_ADDRESS", default=10)
REQUEST_RATE_LIMIT_EMAIL = env.int("REQUEST_RATE_LIMIT_EMAIL", default=3)
# Webhooks: a receiver must answer within this many seconds (fewer when tasks run in-process, as
# the request that published the event waits). Private, loopback and other non-public addresses,
# and plain http://, only with WEBHOOKS_ALLOW_PRIVATE_ADDRESSES (receivers on this machine or network).
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=15)
WEBHOOKS_EAGER_TIMEOUT_SECONDS = env.int("WEBHOOKS_EAGER_TIMEOUT_SECONDS", default=3)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
