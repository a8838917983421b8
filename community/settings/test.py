"""The pytest suite: fast hashing, local-memory cache, in-process tasks, outbox e-mail.
Database and broker still come from the environment, so CI can run the suite on PostgreSQL; the
integration suite sets TEST_CELERY_BROKER_URL and TEST_EMAIL_FILE_PATH for its Celery worker."""

from .base import *  # noqa: F403
from .base import DATABASES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process cannot share the test process's outbox, so it writes e-mail to files instead.
if EMAIL_FILE_PATH := env("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/partner-academy-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every test client calls from 127.0.0.1 and the cache outlives each test: the tests of the
# certificate look-up limit set their own.
VERIFY_RATE_LIMIT = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Test data need not survive a crash: not waiting for each commit's WAL flush makes the
    # migrations, flushes and transactional tests several times faster.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
REQUEST_RATE_LIMIT_ADDRESS = 0
REQUEST_RATE_LIMIT_EMAIL = 0
SCORM_CONTENT_ORIGIN = "http://scorm.testserver"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "scorm.testserver"]  # noqa: F405
