"""`make bench`: run every benchmark and write the figures to benchmarks/results.json.

The database is DATABASE_URL when set, otherwise a PostgreSQL database `dxdesk_bench` on 127.0.0.1:5432 when one is
reachable (the production database: the targets are stated for it), otherwise a SQLite file. Each benchmark module
exposes `run() -> dict` and builds the data it needs.
"""

import importlib
import json
import os
import platform
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"

# Modules with `run() -> dict`, each adding its figures under its own key.
BENCHES = [
    "benchmarks.matching_quality",
    "benchmarks.bench_skills",
    "benchmarks.bench_staffing",
    "benchmarks.bench_support",
]


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def configure_database() -> str:
    if not os.environ.get("DATABASE_URL"):
        if _postgres_reachable():
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'dxdesk_bench'").fetchone()
                if not exists:
                    conn.execute("CREATE DATABASE dxdesk_bench")
            os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/dxdesk_bench"
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'benchmarks' / 'bench.sqlite3'}"
    return os.environ["DATABASE_URL"].split("://")[0]


def main(selected: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    backend = configure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["_meta"] = {
        "database": backend,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    for dotted in BENCHES:
        name = dotted.rsplit(".", 1)[-1]
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        figures = importlib.import_module(dotted).run()
        figures["_seconds"] = round(time.perf_counter() - started, 2)
        results[name] = figures
        print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"Figures written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
