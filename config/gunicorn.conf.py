"""gunicorn settings for the web processes: `gunicorn -c config/gunicorn.conf.py` (see docs/deploy.md).

Every value comes from the environment so that the same file serves a VM, systemd and containers.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# config.wsgi defaults DJANGO_SETTINGS_MODULE to config.settings.production.

# Where to listen. Behind a load balancer on another host use 0.0.0.0:8000 (containers) or the private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Worker processes (the usual 2 × cores + 1) and threads per process (1: plain sync workers).
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request running longer than `timeout` seconds has its worker killed and restarted (heavy work belongs in jobs).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (deploys, scale-down) workers finish the requests in flight for up to this many seconds.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that slow leaks never grow; the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The proxy's X-Forwarded-* headers are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow disk

# Logs: access lines as JSON (core.gunicorn_logging, with the app's request id) and errors, both to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "core.gunicorn_logging.JsonAccessLogger"
proc_name = os.environ.get("GUNICORN_PROC_NAME", "dx-support-desk")

# gunicorn ≥ 24's control socket (for `gunicornc`) has one default path per user, which two servers on a host would
# share; it is off unless GUNICORN_CONTROL_SOCKET names a path (restarts go through signals or systemd anyway).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
