"""The size a benchmark run builds its data at: `make bench SCALE=0.1` (BENCH_SCALE) multiplies the national-scale
counts (requests, staff, municipalities, import rows) — for a quick run on a busy machine. The targets are stated
for scale 1, the default; figures of another scale go to benchmarks/results.scale-<x>.json, never results.json."""

import os


def factor() -> float:
    return float(os.environ.get("BENCH_SCALE") or 1)


def scaled(count: int, minimum: int = 1) -> int:
    """`count` at the run's scale (at least `minimum`)."""
    return max(minimum, round(count * factor()))
