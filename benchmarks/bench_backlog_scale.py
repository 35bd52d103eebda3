"""Backlog plan at national scale (DESIGN.md §11): 2,000 requests × 5,000 staff as a background job, ≤ 60 s, ≤ 1 GB.

The plan runs in a child process (as the job worker would run it) so that its peak resident memory is its own:
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read in the child after the plan. The pure engine is measured on the
seeded synthetic pool of ``benchmarks.matching_quality`` (40 skills, skewed popularity), with the plan's total fit
against the LP relaxation's bound of the reduced problem. ``python -m benchmarks.bench_backlog_scale`` prints it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import sys
import time
from typing import Any

from benchmarks.scale import scaled

REQUESTS = scaled(2000, 50)
PEOPLE = scaled(5000, 100)
TARGET_SECONDS = 60.0
TARGET_MB = 1024.0
SEED = 20250402


def _plan_in_child(queue, n_requests: int, n_people: int, seed: int) -> None:
    import random

    from benchmarks.matching_quality import generate_pool, generate_requests
    from staffing.matching import plan_backlog

    rng = random.Random(seed)
    people = generate_pool(rng, n_people)
    requests = generate_requests(rng, n_requests)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    plan = plan_backlog(requests, people, alternatives=3)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "seconds": round(seconds, 2),
            "peak_rss_mb": round(peak_kb / 1024.0, 1),
            "rss_before_plan_mb": round(base_kb / 1024.0, 1),
            "assigned": len(plan.assignments),
            "total_fit": round(plan.total_fit, 3),
        }
    )


def measure(n_requests: int = REQUESTS, n_people: int = PEOPLE, seed: int = SEED) -> dict[str, Any]:
    """Plan once in a fresh child process (spawned: nothing inherited) and return its time and peak RSS."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_plan_in_child, args=(queue, n_requests, n_people, seed))
    child.start()
    figures = queue.get()
    child.join()
    return figures


def run() -> dict[str, Any]:
    figures = measure()
    return {
        "requests": REQUESTS,
        "people": PEOPLE,
        **figures,
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "load_average": round(os.getloadavg()[0], 2),
        "met": figures["seconds"] <= TARGET_SECONDS and figures["peak_rss_mb"] <= TARGET_MB,
    }


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:3]] or [REQUESTS, PEOPLE]
    print(json.dumps({**measure(*sizes)}, indent=2))
