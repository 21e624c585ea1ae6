"""Start the real app (``python -m bng_desktop``) as a child process for
browser and window tests, and stop it without leaving anything behind.

The app answers only the window or tab it opens (bng_desktop/ui/lock.py), so
a test opens it the way that window does: from the address the app prints at
start-up (with its secret), then with the cookie that address sets."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ADDRESS = re.compile(r"BNG Desktop is running: open (http://\S+)")
OUTPUT = "app-output.log"
"""The app's standard output and error, in its data folder (see running_app)."""


class AppSession:
    """A client that opened the app as its own window does: the first address
    (with the secret), then the cookie it sets, on every request."""

    def __init__(self, entry_url: str):
        self.entry_url = entry_url
        parts = urlsplit(entry_url)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.port = parts.port
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, timeout: float = 10) -> str:
        """The page behind the first address (redirected, with the cookie set)."""
        with self._opener.open(self.entry_url, timeout=timeout) as response:
            assert response.status == 200, response.status
            return response.read().decode("utf-8", errors="replace")

    def get(self, path: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, str]:
        """Status and body of ``path``, with the cookie; errors are returned, not raised."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")


def app_address(
    data_dir: Path, process: subprocess.Popen, timeout: float = 60, interval: float = 0.1
) -> str:
    """The address the app printed at start-up (its secret included)."""
    output = data_dir / OUTPUT
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = ADDRESS.search(output.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            break
        time.sleep(interval)
    tail = output.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise TimeoutError(f"the app printed no address within {timeout} s:\n{tail}")


def wait_for_app(
    data_dir: Path, process: subprocess.Popen, timeout: float = 60, interval: float = 0.2
) -> AppSession:
    """A session on the app, once its first page answers 200."""
    started = time.monotonic()
    session = AppSession(app_address(data_dir, process, timeout, interval))
    while time.monotonic() - started < timeout:
        try:
            session.open(timeout=2)
            return session
        except OSError:
            time.sleep(interval)
    raise TimeoutError(f"{session.base_url} did not answer within {timeout} s")


FROM_SOURCE = (sys.executable, "-m", "bng_desktop")


@contextmanager
def running_app(
    data_dir: Path,
    *args: str,
    env: dict | None = None,
    command: Sequence[str] = FROM_SOURCE,
    output_dir: Path | None = None,
):
    """The app in its own process group; killed with the group on exit.
    ``command`` starts it: from source, or a frozen executable. Its output goes
    to OUTPUT in ``output_dir`` (default: the data folder, which is made)."""
    if output_dir is None:
        output_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    log = output_dir / OUTPUT
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
