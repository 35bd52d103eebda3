"""The Celery app: settings under the CELERY_ namespace, tasks autodiscovered from every app's `tasks.py`.

Worker:  celery -A config worker -l info      Scheduler:  celery -A config beat -l info
With no CELERY_BROKER_URL (make run, make test) tasks run eagerly in the calling process: the same task code.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("dxdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
