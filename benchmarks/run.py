"""`make bench`: run every benchmark and write the figures to benchmarks/results.json.

Each benchmark module gets a database of its own, so that one module's data never inflates another's figures:
PostgreSQL `dxdesk_bench_<module>` on 127.0.0.1:5432 when reachable (the production database: the targets are stated
for it), otherwise a SQLite file `benchmarks/<module>.sqlite3`. The databases are kept between runs, so a module may
reuse the data it built last time. Each module exposes `run() -> dict` and builds the data it needs.
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
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# Modules with `run() -> dict`, each adding its figures under its own key.
BENCHES = [
    "benchmarks.matching_quality",
    "benchmarks.bench_skills",
    "benchmarks.bench_staffing",
    "benchmarks.bench_reports",
    "benchmarks.bench_support",
    "benchmarks.bench_import",
    "benchmarks.bench_backlog_scale",
    "benchmarks.bench_knowhow",
]


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _ensure_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def database_url(module: str, backend: str) -> str:
    """The URL of this module's own benchmark database (created on PostgreSQL when missing)."""
    if backend == "postgresql":
        name = f"dxdesk_bench_{module}"
        _ensure_postgres_database(name)
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{ROOT / 'benchmarks' / f'{module}.sqlite3'}"


def run_one(dotted: str, out: Path) -> None:
    """In a fresh process already pointed at the module's database: migrate, run, write the figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    figures = importlib.import_module(dotted).run()
    figures["_seconds"] = round(time.perf_counter() - started, 2)
    figures["_load_average_1min"] = {"before": load_before, "after": round(os.getloadavg()[0], 2)}
    out.write_text(json.dumps(figures, ensure_ascii=False))


# The child imports this module rather than running it with -m: measured here, pages served by a process started
# as `python -m benchmarks.run --one …` were about 1.5× slower than the same code started with -c (cause unknown).
CHILD = "import sys; from pathlib import Path; from benchmarks.run import run_one; run_one(sys.argv[1], Path(sys.argv[2]))"


def main(selected: list[str]) -> int:
    import subprocess
    import tempfile

    if os.environ.get("DATABASE_URL"):
        backend = "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"
    else:
        backend = "postgresql" if _postgres_reachable() else "sqlite"
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["_meta"] = {
        "database": backend,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "load_average_note": "1-minute load average of the machine (2 cores: above 2 means other work competed "
        "with the figures); each module also records it before and after its own run",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    failed = 0
    for dotted in BENCHES:
        name = dotted.rsplit(".", 1)[-1]
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        # Each module runs in a process of its own, like a server process, on a database of its own.
        env = dict(os.environ, DATABASE_URL=database_url(name, backend))
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, dotted, str(out)],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if done.returncode != 0 or not out.read_text():
            print(f"{name} failed (exit {done.returncode})", flush=True)
            failed += 1
            continue
        figures = json.loads(out.read_text())
        out.unlink()
        results[name] = figures
        print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    results["_meta"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"Figures written to {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
