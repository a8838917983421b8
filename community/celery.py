"""The Celery app. Configured from Django settings (CELERY_*); with no broker configured the
settings make every task run in-process, so nothing here needs Redis to import or run."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")

app = Celery("partner_academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's `tasks` module, and those of the packages inside an app (certifications keeps one
# per package: exams, certificates, rights).
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["certifications.exams", "certifications.certificates", "certifications.rights", "certifications.exports"]
)
