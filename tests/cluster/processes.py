"""Processes the cluster test starts: each in its own process group, all stopped in `stop_all` (also on Ctrl-C)."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import requests


class Process:
    def __init__(self, name: str, argv: list[str], *, env: dict, cwd: Path, log_dir: Path):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self._log = log
        self.popen = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)  # the group id is the leader's pid (start_new_session)

    def kill_now(self) -> None:
        """SIGKILL the whole group (the worker and its pool children): nothing gets to clean up."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, grace: float = 15) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.signal_group(signal.SIGKILL)  # children left behind by a leader that exited
        self._log.close()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


class Processes:
    def __init__(self, *, cwd: Path, log_dir: Path):
        self.cwd, self.log_dir = cwd, log_dir
        self.started: list[Process] = []

    def start(self, name: str, argv: list[str], env: dict) -> Process:
        process = Process(name, argv, env=env, cwd=self.cwd, log_dir=self.log_dir).start()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            try:
                process.stop()
            except Exception as exc:  # keep stopping the others
                print(f"  could not stop {process.name}: {exc}")


def wait_ready(process: Process, base_url: str, *, timeout: float = 60) -> None:
    """Until /readyz answers 200 (raise with the process's log when it exits or the time runs out)."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if not process.running:
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        try:
            response = requests.get(f"{base_url}/readyz", timeout=3)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:300]}"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"{process.name} not ready after {timeout}s ({last}):\n{process.tail()}")
