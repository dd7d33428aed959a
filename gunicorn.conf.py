"""Production server settings for gunicorn: ``make serve`` or ``gunicorn --config gunicorn.conf.py``.

Every setting can be changed from the environment, so one file serves a laptop and a fleet.
The app refuses to start in production without QUESTIONNAIRE_SECRET_KEY.
"""

from __future__ import annotations

import gc
import os

wsgi_app = "app:app"

#: QUESTIONNAIRE_BIND, e.g. 0.0.0.0:8000 behind a load balancer; loopback by default.
bind = os.environ.get("QUESTIONNAIRE_BIND", "127.0.0.1:8000").split(",")

# Workers: anonymous use is CPU-bound (no database, no outgoing calls; answers live in the cookie), so
# one process per core uses every core and more processes only queue on the same cores. Each
# worker has a few threads (gthread) so keep-alive connections and slow clients do not hold a
# whole process the way sync workers do; the GIL makes more threads useless for CPU work.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
workers = int(os.environ.get("QUESTIONNAIRE_WORKERS", _cores))
worker_class = os.environ.get("QUESTIONNAIRE_WORKER_CLASS", "gthread")
threads = int(os.environ.get("QUESTIONNAIRE_THREADS", 4))

# Load the app (and so the rule set, compiled and checked) once in the master, then fork.
preload_app = True

timeout = int(os.environ.get("QUESTIONNAIRE_TIMEOUT", 30))  # a worker silent this long is restarted
graceful_timeout = 30  # time to finish requests in flight on restart or shutdown
keepalive = 5  # seconds an idle keep-alive connection stays open

# Recycle workers now and then so a slow leak cannot grow forever; jitter keeps them from all
# restarting at once.
max_requests = int(os.environ.get("QUESTIONNAIRE_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("QUESTIONNAIRE_MAX_REQUESTS_JITTER", 2000))

# Requests are small (a form page): refuse oversized request lines and headers early.
limit_request_line = 4094
limit_request_field_size = 8190

# Access log to stdout: the path only (%(U)s), never the query string (%(q)s), the request line
# (%(r)s), bodies, cookies or the Referer, because answers are health data.
accesslog = os.environ.get("QUESTIONNAIRE_ACCESS_LOG", "-")
access_log_format = '%(t)s %(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Redacts invitation tokens (/i/<token>) from access lines; JSON lines with QUESTIONNAIRE_LOG_FORMAT=json.
logger_class = "questionnaire.web.logs.AccessLogger"
loglevel = os.environ.get("QUESTIONNAIRE_LOG_LEVEL", "info")

# Trust X-Forwarded-* only from these addresses (the load balancer); the app's ProxyFix is
# configured separately with QUESTIONNAIRE_TRUST_PROXY.
forwarded_allow_ips = os.environ.get("QUESTIONNAIRE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

proc_name = "fibro-questionnaire"


def pre_fork(server: object, worker: object) -> None:
    """Move the preloaded app (rule set, templates) out of the garbage collector's sight before forking.

    Those objects live as long as the process; not scanning them keeps collections short and keeps
    the pages shared between workers instead of copied on write.
    """
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    """Give each worker its own database connections: pooled connections must never cross a fork."""
    import app as wsgi  # the module preloaded in the master

    wsgi.app.extensions["clinics"].database.engine.dispose(close=False)
