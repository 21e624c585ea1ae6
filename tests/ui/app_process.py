"""Start the real app (``python -m bng_desktop``) as a child process for
browser and window tests, and stop it without leaving anything behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60, interval: float = 0.2) -> float:
    """Seconds until the first HTTP 200, polling every ``interval`` seconds."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


FROM_SOURCE = (sys.executable, "-m", "bng_desktop")


@contextmanager
def running_app(
    data_dir: Path, *args: str, env: dict | None = None, command: Sequence[str] = FROM_SOURCE
):
    """The app in its own process group; killed with the group on exit.
    ``command`` starts it: from source, or a frozen executable."""
    log = data_dir / "app-output.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir), *args],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=child_environment(env),
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def child_environment(extra: dict | None = None) -> dict:
    """The test's environment without pytest's markers: NiceGUI reads them and
    would start in its test mode instead of serving."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return {**env, **(extra or {})}


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
