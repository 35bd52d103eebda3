"""CI: audit the installed environment for known-vulnerable packages with pip-audit.

Fails (exit 1) when any installed package has a known vulnerability. When the advisory services cannot be reached or
cannot answer for the installed packages (no network, a registry mirror without per-version data), it prints a loud
WARNING and exits 0: a closed network must not block CI, but nobody may mistake that run for a clean audit.
Tries PyPI's advisory data first, then OSV.
"""

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def audit(service: str) -> tuple[dict | None, str]:
    command = [
        str(PIP_AUDIT),
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--skip-editable",
        "-s",
        service,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, str(error)
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return None, lines[-1] if lines else f"pip-audit exited with {done.returncode}"


def main() -> int:
    problems = []
    for service in ("pypi", "osv"):
        report, error = audit(service)
        if report is None:
            problems.append(f"{service}: {error}")
            continue
        dependencies = report.get("dependencies", [])
        vulnerable = [d for d in dependencies if d.get("vulns")]
        audited = [d for d in dependencies if "skip_reason" not in d]
        if vulnerable:
            print(f"pip-audit ({service}): known vulnerabilities in installed packages:", file=sys.stderr)
            for dep in vulnerable:
                for vuln in dep["vulns"]:
                    fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
                    print(
                        f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})", file=sys.stderr
                    )
            return 1
        if audited:
            skipped = len(dependencies) - len(audited)
            note = f"; {skipped} could not be audited" if skipped else ""
            print(f"pip-audit ({service}): {len(audited)} packages audited, no known vulnerabilities{note}.")
            return 0
        problems.append(f"{service}: none of the {len(dependencies)} packages could be audited")
    print("WARNING: the dependency audit could NOT run — this is not a clean audit:", file=sys.stderr)
    for problem in problems:
        print(f"WARNING:   {problem}", file=sys.stderr)
    print(
        "WARNING: run `.venv/bin/pip-audit` where PyPI's JSON API or api.osv.dev is reachable.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
