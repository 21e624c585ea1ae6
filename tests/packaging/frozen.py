"""Building the one-folder executable into a temp folder, and running it."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.ui.app_process import child_environment

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "build" / "build_exe.py"


@dataclass(frozen=True)
class FrozenBuild:
    executable: Path
    seconds: float


def build_one_folder(root: Path) -> FrozenBuild:
    """``python build/build_exe.py`` with the result and PyInstaller's work files
    under ``root``; about a minute."""
    folders = (f"--distpath={root / 'dist'}", f"--workpath={root / 'work'}")
    started = time.perf_counter()
    built = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), *folders],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert built.returncode == 0, f"the build failed:\n{built.stdout}\n{built.stderr[-5000:]}"
    suffix = ".exe" if sys.platform == "win32" else ""
    executable = root / "dist" / "bng-desktop" / f"bng-desktop{suffix}"
    assert executable.is_file(), built.stdout
    print(f"\none-folder build: {seconds:.0f} s; {built.stdout.strip()}")
    return FrozenBuild(executable, seconds)


def run_frozen(
    frozen: FrozenBuild, *args: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The executable as a command line program; output captured."""
    return subprocess.run(
        [str(frozen.executable), *args],
        capture_output=True,
        text=True,
        env=child_environment(env),
        timeout=120,
        check=False,
    )
