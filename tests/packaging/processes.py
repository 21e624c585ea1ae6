"""The processes of a process group, from /proc (psutil is not a dependency),
and how a test shuts the app down the way a user would: one signal to the
main process only, so that anything it fails to stop is still there to see."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path


def group_members(pgid: int) -> dict[int, str]:
    """Live (not zombie) processes of process group ``pgid``: pid → command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")"
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            found[int(entry.name)] = command.strip()
    return found


def wait_until_group_gone(pgid: int, timeout: float = 15) -> dict[int, str]:
    """Wait for every process of the group to end; return those left."""
    deadline = time.monotonic() + timeout
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def terminate_main_only(process: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM to the app's main process (as logging out would); its exit status."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)


def listening_addresses(port: int) -> set[str]:
    """Addresses listening on TCP ``port``, from /proc/net/tcp and tcp6 (state 0A)."""
    found = set()
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, _remote, state = line.split()[1:4]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:
                found.add(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return ".".join(str(int(hex_address[i : i + 2], 16)) for i in (6, 4, 2, 0))
    return f"IPv6 {hex_address}"
