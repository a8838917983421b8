"""The Celery app. Configured from Django settings (CELERY_*); with no broker configured the
settings make every task run in-process, so nothing here needs Redis to import or run."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")

app = Celery("partner_academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
