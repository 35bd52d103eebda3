"""`make bench`: run every benchmark and write the figures to benchmarks/results.json.

Each benchmark module gets a database of its own, so that one module's data never inflates another's figures:
PostgreSQL `dxdesk_bench_<module>` on 127.0.0.1:5432 when reachable (the production database: the targets are stated
for it), otherwise a SQLite file `benchmarks/<module>.sqlite3`. The databases are kept between runs, so a module may
reuse the data it built last time. Each module exposes `run() -> dict` and builds the data it needs.

`python -m benchmarks.run [--scale X] [module …]` (`make bench [SCALE=X] [BENCH="bench_support …"]`): only the
modules named; at scale X the national-scale counts are multiplied by X (benchmarks.scale) on databases of their
own (`…_s<X>`), and the figures go to benchmarks/results.scale-<X>.json — results.json holds scale-1 figures only.
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


def results_path(scale: float) -> Path:
    return RESULTS if scale == 1 else RESULTS.with_name(f"results.scale-{scale:g}.json")


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


def database_url(module: str, backend: str, scale: float = 1) -> str:
    """The URL of this module's own benchmark database (created on PostgreSQL when missing), one per scale."""
    suffix = "" if scale == 1 else f"_s{scale:g}".replace(".", "_")
    if backend == "postgresql":
        name = f"dxdesk_bench_{module}{suffix}"
        _ensure_postgres_database(name)
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{ROOT / 'benchmarks' / f'{module}{suffix}.sqlite3'}"


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


def main(arguments: list[str]) -> int:
    import argparse
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the data sizes (default 1)")
    parser.add_argument("modules", nargs="*", help="module names, e.g. bench_support (default: all)")
    options = parser.parse_args(arguments)
    selected, scale = options.modules, options.scale
    if scale <= 0:
        parser.error("--scale must be positive")
    results_file = results_path(scale)

    if os.environ.get("DATABASE_URL"):
        backend = "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"
    else:
        backend = "postgresql" if _postgres_reachable() else "sqlite"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results["_meta"] = {
        "database": backend,
        "scale": scale,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "load_average_note": "1-minute load average of the machine (2 cores: above 2 means other work competed "
        "with the figures); each module also records it before and after its own run",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    failed = 0
    started = time.perf_counter()
    for dotted in BENCHES:
        name = dotted.rsplit(".", 1)[-1]
        if selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        module_started = time.perf_counter()
        # Each module runs in a process of its own, like a server process, on a database of its own.
        env = dict(os.environ, DATABASE_URL=database_url(name, backend, scale), BENCH_SCALE=str(scale))
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
        results[name]["_seconds_with_setup"] = round(time.perf_counter() - module_started, 1)
        results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    results["_meta"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    results["_meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"Figures written to {results_file.relative_to(ROOT)} in {results['_meta']['seconds']} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
