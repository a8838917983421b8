"""gunicorn settings for production, read automatically when gunicorn starts in this directory:

    DJANGO_SETTINGS_MODULE=community.settings.production gunicorn community.wsgi

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# WEB_CONCURRENCY is the usual knob on container platforms; otherwise 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than any client or proxy keeps an idle connection: when the server closes one first, a
# request already on its way over it (a POST is never retried) fails with a connection reset.
keepalive = 75
# Recycle workers now and then so slow leaks in any library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front terminates TLS and sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
