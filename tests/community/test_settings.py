"""Settings come from the environment. Each case imports the settings in a fresh interpreter with
exactly the variables it names (nothing leaks in from the shell running the suite)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_SECRET_KEY = "k7Gq2vXw9pLr4tZb8nYc1mHs6dJf3aQe5uWo0iKl-ProductionGrade-Secret_Key!x"
# base64 of a 32-byte Ed25519 seed, as README says to generate one.
CREDENTIAL_SIGNING_KEY = "N2kwR3hWcXo4dEw1bkI5bVk0cUE2ZUoxd0YzY0s4aFI="
SITE_URL = "https://academy.example.com"

READ_SETTINGS = """
import json, sys
from django.conf import settings
from community.celery import app

names = sys.argv[1:]
values = {name: getattr(settings, name) for name in names}
values["celery"] = {
    "broker_url": app.conf.broker_url,
    "result_backend": app.conf.result_backend,
    "task_always_eager": app.conf.task_always_eager,
}
print(json.dumps(values, default=str))
"""


def _clean_env(module: str, **variables: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": module,
        **variables,
    }


def read_settings(*names: str, module: str = "community.settings.base", **variables: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS, *names],
        cwd=BASE_DIR,
        env=_clean_env(module, **variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def manage(*args: str, module: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_clean_env(module, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_nothing_set_the_site_runs_on_sqlite_under_var_with_in_process_tasks():
    values = read_settings("DATABASES", "CACHES", "DEBUG", "EMAIL_BACKEND", "STORAGES", "SOCIALACCOUNT_PROVIDERS")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["celery"] == {"broker_url": "", "result_backend": None, "task_always_eager": True}
    assert values["DEBUG"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"] == []
    assert values["SOCIALACCOUNT_PROVIDERS"]["saml"]["APPS"] == []


def test_empty_variables_count_as_unset():
    values = read_settings("DATABASES", "EMAIL_BACKEND", DATABASE_URL="", EMAIL_URL="", REDIS_URL="")

    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["celery"]["task_always_eager"] is True


def test_database_url_selects_postgresql():
    values = read_settings("DATABASES", DATABASE_URL="postgres://academy:s%40cret@db.internal:6432/academy")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("academy", "academy", "s@cret")
    assert (database["HOST"], database["PORT"]) == ("db.internal", 6432)
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_conn_max_age_is_configurable():
    values = read_settings("DATABASES", DATABASE_URL="postgres://a@db/academy", CONN_MAX_AGE="0")

    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_redis_url_gives_a_redis_cache_and_broker_and_no_task_runs_eagerly():
    values = read_settings("CACHES", "CELERY_TASK_ALWAYS_EAGER", REDIS_URL="redis://cache.internal:6379/2")

    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["celery"] == {
        "broker_url": "redis://cache.internal:6379/2",
        "result_backend": "redis://cache.internal:6379/2",
        "task_always_eager": False,
    }


def test_celery_broker_url_overrides_the_broker_taken_from_redis_url():
    values = read_settings(REDIS_URL="redis://cache.internal:6379/0", CELERY_BROKER_URL="redis://queue.internal:6379/1")

    assert values["celery"]["broker_url"] == "redis://queue.internal:6379/1"
    assert values["celery"]["task_always_eager"] is False


def test_secret_key_allowed_hosts_and_debug_come_from_the_environment():
    values = read_settings(
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DEBUG",
        SECRET_KEY="from-the-environment",
        ALLOWED_HOSTS="academy.example.com,.academy.example.net",
        CSRF_TRUSTED_ORIGINS="https://academy.example.com",
        DEBUG="true",
    )

    assert values["SECRET_KEY"] == "from-the-environment"
    assert values["ALLOWED_HOSTS"] == ["academy.example.com", ".academy.example.net"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://academy.example.com"]
    assert values["DEBUG"] is True


def test_development_settings_default_to_debug_and_respect_debug_off():
    assert read_settings("DEBUG", module="community.settings.dev")["DEBUG"] is True
    assert read_settings("DEBUG", module="community.settings.dev", DEBUG="false")["DEBUG"] is False


def test_email_url_configures_smtp():
    values = read_settings(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        EMAIL_URL="smtp+tls://mailer:p%40ss@smtp.example.com:587",
        DEFAULT_FROM_EMAIL="Academy <academy@example.com>",
    )

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.com", 587)
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("mailer", "p@ss")
    assert values["EMAIL_USE_TLS"] is True
    assert values["DEFAULT_FROM_EMAIL"] == "Academy <academy@example.com>"


def test_media_storage_s3_takes_its_options_from_the_environment():
    values = read_settings(
        "STORAGES",
        MEDIA_STORAGE="storages.backends.s3.S3Storage",
        MEDIA_S3_BUCKET="academy-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.eu-central-1.example.com",
        MEDIA_S3_REGION="eu-central-1",
        MEDIA_S3_ACCESS_KEY="AKIAEXAMPLE",
        MEDIA_S3_SECRET_KEY="secret",
    )

    assert values["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "academy-media",
            "endpoint_url": "https://s3.eu-central-1.example.com",
            "region_name": "eu-central-1",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "secret",
            "default_acl": "private",
            "querystring_auth": True,
        },
    }


def test_single_sign_on_providers_come_from_json():
    oidc = [
        {
            "provider_id": "acme",
            "name": "Acme Networks",
            "client_id": "academy",
            "secret": "s3cret",
            "settings": {"server_url": "https://login.acme.example/.well-known/openid-configuration"},
        }
    ]
    saml = [
        {
            "name": "Globex",
            "provider_id": "urn:globex.example",
            "client_id": "globex",
            "settings": {
                "attribute_mapping": {"uid": "uid", "email": "email"},
                "idp": {"entity_id": "urn:globex.example", "metadata_url": "https://idp.globex.example/metadata"},
            },
        }
    ]

    values = read_settings(
        "SOCIALACCOUNT_PROVIDERS", SSO_OIDC_PROVIDERS=json.dumps(oidc), SSO_SAML_PROVIDERS=json.dumps(saml)
    )

    assert values["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"] == oidc
    assert values["SOCIALACCOUNT_PROVIDERS"]["saml"]["APPS"] == saml


@pytest.mark.parametrize(
    ("variables", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8001"}, "http://127.0.0.1:8001"),
        ({"PORT": "8001", "SITE_URL": ""}, "http://127.0.0.1:8001"),
        ({"PORT": "8001", "SITE_URL": "https://demo.example.com/"}, "https://demo.example.com"),
    ],
    ids=["default", "port", "empty site url", "site url wins"],
)
def test_in_development_the_site_url_follows_the_port_make_run_serves_on(variables, site_url):
    values = read_settings("SITE_URL", "WAGTAILADMIN_BASE_URL", module="community.settings.dev", **variables)

    assert values["SITE_URL"] == values["WAGTAILADMIN_BASE_URL"] == site_url


@pytest.mark.parametrize("site_url", [None, "", "academy.example.com"], ids=["unset", "empty", "no scheme"])
def test_production_refuses_to_start_without_a_site_url(site_url):
    completed = manage(
        "check",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        CREDENTIAL_SIGNING_KEY=CREDENTIAL_SIGNING_KEY,
        PORT="8001",
        **({"SITE_URL": site_url} if site_url is not None else {}),
    )

    assert completed.returncode != 0
    assert "Set the SITE_URL environment variable" in completed.stderr


def test_production_uses_the_site_url_it_is_given():
    values = read_settings(
        "SITE_URL",
        "WAGTAILADMIN_BASE_URL",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        CREDENTIAL_SIGNING_KEY=CREDENTIAL_SIGNING_KEY,
        SITE_URL="https://academy.example.com/",
    )

    assert values["SITE_URL"] == values["WAGTAILADMIN_BASE_URL"] == "https://academy.example.com"


def test_production_refuses_to_start_without_a_secret_key():
    completed = manage("check", module="community.settings.production", ALLOWED_HOSTS="academy.example.com")

    assert completed.returncode != 0
    assert "SECRET_KEY" in completed.stderr


@pytest.mark.parametrize("key", ["", "   "], ids=["unset", "blank"])
def test_production_refuses_to_start_without_a_credential_signing_key(key):
    completed = manage(
        "check",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        SITE_URL=SITE_URL,
        **({"CREDENTIAL_SIGNING_KEY": key} if key else {}),
    )

    assert completed.returncode != 0
    assert "Set the CREDENTIAL_SIGNING_KEY environment variable" in completed.stderr
    assert "base64.b64encode(os.urandom(32))" in completed.stderr


def test_production_refuses_a_credential_signing_key_it_cannot_read():
    completed = manage(
        "check",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        SITE_URL=SITE_URL,
        CREDENTIAL_SIGNING_KEY="c2hvcnQ=",
    )

    assert completed.returncode != 0
    assert "CREDENTIAL_SIGNING_KEY is not usable" in completed.stderr


def test_production_settings_pass_the_deployment_checks_without_warnings():
    completed = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        SITE_URL=SITE_URL,
        CREDENTIAL_SIGNING_KEY=CREDENTIAL_SIGNING_KEY,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == "System check identified no issues (0 silenced).", completed.stdout
    assert completed.stderr == ""


def test_production_serves_static_files_through_whitenoise_with_secure_cookies():
    values = read_settings(
        "STORAGES",
        "MIDDLEWARE",
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        module="community.settings.production",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="academy.example.com",
        SITE_URL=SITE_URL,
        CREDENTIAL_SIGNING_KEY=CREDENTIAL_SIGNING_KEY,
        DEBUG="true",
    )

    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]


def test_gunicorn_loads_the_production_application_with_the_projects_config():
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--check-config", "community.wsgi"],
        cwd=BASE_DIR,
        env=_clean_env(
            "community.settings.production",
            SECRET_KEY=STRONG_SECRET_KEY,
            ALLOWED_HOSTS="academy.example.com",
            SITE_URL=SITE_URL,
            CREDENTIAL_SIGNING_KEY=CREDENTIAL_SIGNING_KEY,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_periodic_task_is_a_registered_task(name):
    from community.celery import app

    app.loader.import_default_modules()

    assert settings.CELERY_BEAT_SCHEDULE[name]["task"] in app.tasks
