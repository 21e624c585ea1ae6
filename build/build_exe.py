"""Build the BNG Desktop executable for this platform with PyInstaller (bng.spec).

    python build/build_exe.py              # dist/bng-desktop/bng-desktop (one folder)
    python build/build_exe.py --onefile    # dist/bng-desktop-onefile (one file)

Needs the `build` extra (`pip install -e ".[build,native]"`; without the native
extra the executable opens in the browser only). PyInstaller's work files go to
build/pyinstaller-work/ (ignored by git), apart from the scripts here. Prints
where the executable is, how long the build took and how big the result is.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "bng.spec"
WORK = ROOT / "build" / "pyinstaller-work"
NAME = "bng-desktop"


def executable_path(distpath: Path, onefile: bool) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    if onefile:
        return distpath / f"{NAME}-onefile{suffix}"
    return distpath / NAME / f"{NAME}{suffix}"


def bundle_bytes(distpath: Path, onefile: bool) -> int:
    """The size a user installs: the one file, or everything in the folder."""
    if onefile:
        return executable_path(distpath, onefile).stat().st_size
    folder = distpath / NAME
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(*, onefile: bool, distpath: Path, workpath: Path | None = None) -> Path:
    """Run PyInstaller on bng.spec; return the executable. Raises CalledProcessError."""
    workpath = workpath or ROOT / "build" / "pyinstaller-work" / (
        "onefile" if onefile else "onedir"
    )
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={distpath}",
        f"--workpath={workpath}",
        str(SPEC),
        "--",
        *(["--onefile"] if onefile else []),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    return executable_path(distpath, onefile)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one self-extracting file")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--workpath", type=Path, help="PyInstaller's work folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        executable = build(onefile=args.onefile, distpath=args.distpath, workpath=args.workpath)
    except subprocess.CalledProcessError as exc:
        print(f"build failed (PyInstaller exit status {exc.returncode})", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    size = bundle_bytes(args.distpath, args.onefile)
    print(f"built {executable} in {seconds:.0f} s; bundle {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
