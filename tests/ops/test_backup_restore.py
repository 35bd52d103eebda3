"""scripts/backup.sh and scripts/restore.sh round-trip a PostgreSQL database (skipped without PostgreSQL)."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _server_url() -> str:
    """A URL to the PostgreSQL server of DATABASE_URL (or postgres@127.0.0.1:5432), without the database name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = (
            f"postgres://{os.environ.get('PGUSER', 'postgres')}@{os.environ.get('PGHOST', '127.0.0.1')}:"
            + os.environ.get("PGPORT", "5432")
        )
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _psql(url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", url, "-XtA", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def server():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"backup/restore test: {', '.join(missing)} not installed")
    url = _server_url()
    probe = subprocess.run(["psql", f"{url}/postgres", "-XtAc", "SELECT 1"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        pytest.skip(f"backup/restore test: PostgreSQL not reachable at {url}")
    return url


@pytest.fixture
def databases(server):
    names = [f"dx_backup_src_{uuid.uuid4().hex[:8]}", f"dx_backup_dst_{uuid.uuid4().hex[:8]}"]
    for name in names:
        _psql(f"{server}/postgres", f"CREATE DATABASE {name}")
    yield [f"{server}/{name}" for name in names]
    for name in names:
        _psql(f"{server}/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


SCHEMA = """
CREATE TABLE organization (id bigserial PRIMARY KEY, code text UNIQUE NOT NULL, name text NOT NULL);
CREATE TABLE request (
    id bigserial PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organization (id),
    reference text UNIQUE NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO organization (code, name) SELECT 'ORG-' || g, '千代田区 ' || g FROM generate_series(1, 12) g;
INSERT INTO request (organization_id, reference, data)
    SELECT 1 + g % 12, 'DX-2026-' || lpad(g::text, 4, '0'), jsonb_build_object('title', '仕様書確認 ' || g)
    FROM generate_series(1, 345) g;
DELETE FROM request WHERE id % 7 = 0;
"""


def _counts(url: str) -> dict[str, str]:
    return {
        "organization": _psql(url, "SELECT count(*) FROM organization"),
        "request": _psql(url, "SELECT count(*) FROM request"),
        "titles": _psql(url, "SELECT md5(string_agg(data->>'title', ',' ORDER BY id)) FROM request"),
    }


def test_a_backup_restores_into_a_new_database_with_the_same_rows(databases, tmp_path):
    source, target = databases
    _psql(source, SCHEMA)
    env = {**os.environ, "DATABASE_URL": source, "BACKUP_DIR": str(tmp_path)}

    backup = subprocess.run([ROOT / "scripts/backup.sh"], env=env, capture_output=True, text=True, timeout=60)
    assert backup.returncode == 0, backup.stderr
    dumps = list(tmp_path.glob("dxdesk-*.dump"))
    assert len(dumps) == 1

    restore = subprocess.run(
        [ROOT / "scripts/restore.sh", dumps[0], target], capture_output=True, text=True, timeout=60
    )
    assert restore.returncode == 0, restore.stderr
    assert _counts(target) == _counts(source)
    assert _counts(target)["request"] == str(345 - 345 // 7)
    # The sequences came along: the next row gets a new id instead of colliding with a restored one.
    next_id = _psql(
        target, "INSERT INTO request (organization_id, reference) VALUES (1, 'DX-2026-9999') RETURNING id"
    )
    assert int(next_id.splitlines()[0]) > 345


def test_restore_refuses_a_database_that_already_has_tables(databases, tmp_path):
    source, target = databases
    _psql(source, SCHEMA)
    _psql(target, "CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)")
    dump = tmp_path / "one.dump"
    subprocess.run(
        [ROOT / "scripts/backup.sh", dump], env={**os.environ, "DATABASE_URL": source}, check=True, timeout=60
    )

    restore = subprocess.run(
        [ROOT / "scripts/restore.sh", dump, target], capture_output=True, text=True, timeout=60
    )

    assert restore.returncode == 3
    assert "already has 1 tables" in restore.stderr
    assert _psql(target, "SELECT count(*) FROM keep_me") == "1"
    assert _psql(target, "SELECT count(*) FROM pg_tables WHERE tablename = 'request'") == "0"
