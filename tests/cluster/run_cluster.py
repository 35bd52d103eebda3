"""Multi-process cluster test (`make test-cluster`; `.ci/run` runs it after the suites).

Creates a throw-away PostgreSQL database, migrates, loads reference data and a small demo, starts TWO gunicorn
servers on loopback (production settings: DEBUG off, sessions and cache in Redis on a dedicated database number,
WhiteNoise static files, JSON logs), plus the Celery worker and beat scheduler once the project has them
(config/celery.py), runs a bounded concurrent workload through both servers (tests/cluster/workload.py), and then
checks the invariants in the database (tests/cluster/invariants.py). Everything it started is stopped (process
groups, also on Ctrl-C or a time-out) and the database dropped.

    python -m tests.cluster.run_cluster [--require] [--keep-logs]

Without PostgreSQL or Redis it says so and exits 0, unless --require (CI) makes that a failure.
Settings: CLUSTER_PG_URL (postgres://postgres@127.0.0.1:5432), CLUSTER_REDIS_URL (redis://127.0.0.1:6379),
CLUSTER_REDIS_DB (13: cache and sessions; the next number is the job broker), CLUSTER_PORTS (18001,18002),
CLUSTER_TIMEOUT (seconds, 300).
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.cluster.jobs_phase import VISIBILITY_TIMEOUT  # noqa: E402
from tests.cluster.processes import Processes  # noqa: E402
from tests.cluster.smtp_sink import SmtpSink  # noqa: E402

PASSWORD = "cluster-pass-2025"


class Results:
    def __init__(self):
        self.rows: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.rows.append((name, bool(ok), detail))
        print(f"  {'PASS' if ok else 'FAIL'} {name}{f' ({detail})' if detail else ''}", flush=True)

    @property
    def failed(self) -> int:
        return sum(1 for _, ok, _ in self.rows if not ok)


def preflight(pg_url: str, redis_url: str) -> str | None:
    """Why the cluster cannot run here, or None."""
    missing = [tool for tool in ("psql",) if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed"
    try:
        import psycopg

        psycopg.connect(f"{pg_url}/postgres", connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL not reachable at {pg_url} ({exc.__class__.__name__})"
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis not reachable at {redis_url} ({exc.__class__.__name__})"
    try:
        import gunicorn  # noqa: F401
        import requests  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} not installed (pip install -e '.[test]')"
    return None


def psql(pg_url: str, sql: str) -> None:
    subprocess.run(
        ["psql", f"{pg_url}/postgres", "-XqAt", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, timeout=60
    )


def manage(env: dict, *args: str, settings: str | None = None) -> None:
    started = time.monotonic()
    run_env = {**env, **({"DJANGO_SETTINGS_MODULE": settings, "DEBUG": "1"} if settings else {})}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    print(f"  manage.py {' '.join(args)} ({time.monotonic() - started:.1f}s)", flush=True)


def cluster_env(*, database_url: str, redis_url: str, redis_db: int, tmp: Path, smtp_port: int) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CACHE_URL=f"{redis_url}/{redis_db}",
        CELERY_BROKER_URL=f"{redis_url}/{redis_db + 1}",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),  # a killed worker's job comes back after this
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),  # the "shared volume" both servers and the worker use
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",  # what the outbox delivers through
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        DEMO_PASSWORD=PASSWORD,
        # The workload signs the demo manager in with a password through the form; no authenticator app here.
        MFA_REQUIRED_EXEMPT_EMAILS="manager@example.com",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--require", action="store_true", help="fail (not skip) when PostgreSQL/Redis are absent"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder with the logs")
    args = parser.parse_args()

    pg_url = os.environ.get("CLUSTER_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    redis_url = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    redis_db = int(os.environ.get("CLUSTER_REDIS_DB", "13"))
    ports = [int(port) for port in os.environ.get("CLUSTER_PORTS", "18001,18002").split(",")]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    why_not = preflight(pg_url, redis_url)
    if why_not:
        print(f"cluster test: {'FAILED' if args.require else 'skipped'}: {why_not}")
        return 1 if args.require else 0

    # Ctrl-C raises KeyboardInterrupt; SIGTERM and the time limit raise too, so `finally` always cleans up.
    def stop(signum, frame):
        raise TimeoutError("time limit reached") if signum == signal.SIGALRM else KeyboardInterrupt

    signal.signal(
        signal.SIGINT, signal.default_int_handler
    )  # even when started with SIGINT ignored (`cmd &`)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(int(os.environ.get("CLUSTER_TIMEOUT", "300")))

    started = time.monotonic()
    results = Results()
    tmp = Path(tempfile.mkdtemp(prefix="dx-cluster-"))
    database = f"dx_cluster_{uuid.uuid4().hex[:10]}"
    processes = Processes(cwd=ROOT, log_dir=tmp)
    created = False
    failed_early = None
    try:
        with SmtpSink() as sink:
            env = cluster_env(
                database_url=f"{pg_url}/{database}",
                redis_url=redis_url,
                redis_db=redis_db,
                tmp=tmp,
                smtp_port=sink.port,
            )
            flush_redis(redis_url, redis_db)
            psql(pg_url, f"CREATE DATABASE {database}")
            created = True
            print(f"cluster test: database {database}, logs in {tmp}", flush=True)
            manage(env, "migrate", "--noinput")
            manage(env, "load_reference")
            manage(env, "seed_demo", "--scale", "0.05", settings="config.settings.dev")
            manage(env, "collectstatic", "--noinput")

            os.environ.update(env)
            import django

            django.setup()
            from tests.cluster import scenario

            scenario.run(
                results=results,
                env=env,
                servers=servers,
                ports=ports,
                processes=processes,
                sink=sink,
                tmp=tmp,
            )
    except BaseException as exc:  # report, then clean up whatever happened
        failed_early = f"{exc.__class__.__name__}: {exc}"
        traceback.print_exc()
        results.check("the cluster ran to the end", False, failed_early)
        for process in processes.started:
            print(f"--- {process.name} (last lines)\n{process.tail(20)}")
    finally:
        signal.alarm(0)
        processes.stop_all()
        results.check("every process stopped", all(not p.running for p in processes.started))
        cleanup(pg_url, database if created else None, redis_url, redis_db)
        if args.keep_logs or results.failed:
            print(f"cluster test: logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    passed = len(results.rows) - results.failed
    print(f"cluster test finished in {time.monotonic() - started:.0f}s")
    print(f"cluster: {passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


def flush_redis(redis_url: str, redis_db: int) -> None:
    import redis

    for number in (redis_db, redis_db + 1):
        client = redis.Redis.from_url(f"{redis_url}/{number}")
        client.flushdb()
        client.close()


def cleanup(pg_url: str, database: str | None, redis_url: str, redis_db: int) -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:
        pass
    if database:
        try:
            psql(pg_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        except Exception as exc:
            print(f"  could not drop {database}: {exc}")
    try:
        flush_redis(redis_url, redis_db)
    except Exception as exc:
        print(f"  could not empty the Redis databases: {exc}")


if __name__ == "__main__":
    sys.exit(main())
