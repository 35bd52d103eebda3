""".ci/audit.py: a known vulnerability fails CI; an advisory service that cannot answer only warns, loudly."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

SPEC = importlib.util.spec_from_file_location("ci_audit", Path(settings.BASE_DIR) / ".ci" / "audit.py")
ci_audit = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ci_audit)

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.1"]}]}
    ]
}
SKIPPED = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}


@pytest.mark.parametrize(
    ("answers", "code", "said"),
    [
        ({"pypi": (CLEAN, "")}, 0, "1 packages audited, no known vulnerabilities"),
        ({"pypi": (VULNERABLE, "")}, 1, "django 5.2.0: PYSEC-0000-1 (fixed in 5.2.1)"),
        ({"pypi": (SKIPPED, ""), "osv": (VULNERABLE, "")}, 1, "PYSEC-0000-1"),
        (
            {"pypi": (SKIPPED, ""), "osv": (None, "ConnectionError: api.osv.dev")},
            0,
            "WARNING: the dependency",
        ),
    ],
)
def test_audit_outcome(monkeypatch, capsys, answers, code, said):
    monkeypatch.setattr(ci_audit, "audit", lambda service: answers[service])
    assert ci_audit.main() == code
    output = capsys.readouterr()
    assert said in output.out + output.err
