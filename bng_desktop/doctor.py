"""What ``bng doctor`` checks: can this installation quote, and where are its files?

Each solver is checked by solving the same tiny integer programme (minimise
2x + 3y with x + y >= 2, x <= 1, both integer: optimum 5), because "installed"
is not enough in a frozen app: PuLP's CBC, for one, imports fine and then
cannot find its executable. HiGHS runs single-threaded here, as the quote
engine runs it: HiGHS's thread pool is set up once per process by its first
run, and a later run asking for another thread count fails. The central
database is only tried when a URL is configured, with a plain TCP connection
(offline is a normal state, so it never makes the installation unfit to quote).
"""

from __future__ import annotations

import socket
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .core.errors import SyncError
from .logs import LOG_FILE
from .settings import Paths, assets_dir, sample_reference_path
from .sync.connection import CentralTarget
from .sync.redact import redact_url
from .sync.settings import load_settings
from .workspace import Workspace

TINY_OPTIMUM = 5.0
CONNECT_TIMEOUT = 3.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Report:
    paths: Paths
    log_file: Path
    reference: Check
    sample: Check
    solvers: tuple[Check, ...]
    cache_bytes: int
    cached_results: int
    central: Check | None
    """None when no central URL is configured."""

    @property
    def can_quote(self) -> bool:
        """Reference data (stored, or the sample to load) and at least one solver."""
        has_data = self.reference.ok or self.sample.ok
        return has_data and any(s.ok for s in self.solvers)


def diagnose(workspace: Workspace) -> Report:
    paths = workspace.paths
    return Report(
        paths=paths,
        log_file=paths.log_dir / LOG_FILE,
        reference=reference_check(workspace),
        sample=sample_check(),
        solvers=solver_checks(),
        cache_bytes=folder_bytes(paths.cache_dir),
        cached_results=workspace.cache.size(),
        central=central_check(central_url(workspace)),
    )


def bundle_description() -> str:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return f"frozen executable, bundle at {frozen}"
    return f"from source, assets at {assets_dir()}"


def reference_check(workspace: Workspace) -> Check:
    current = workspace.references.current_version()
    if current is None:
        return Check("reference data", False, "none stored yet (the sample loads at first start)")
    detail = f"v{current.version_id} from {current.source}, {current.created_at[:16]}"
    return Check("reference data", True, detail)


def sample_check() -> Check:
    path = sample_reference_path()
    found = path.is_file()
    return Check("bundled sample", found, f"{path} ({'present' if found else 'MISSING'})")


# ------------------------------------------------------------ solvers


def solver_checks() -> tuple[Check, ...]:
    return (
        _timed("HiGHS (highspy)", _solve_highspy),
        _timed("HiGHS (PuLP)", lambda: _solve_pulp("highs")),
        _timed("CBC (PuLP)", lambda: _solve_pulp("cbc")),
    )


def _timed(name: str, solve: Callable[[], float]) -> Check:
    started = time.perf_counter()
    try:
        objective = solve()
    except Exception as exc:  # any failure means "not usable here", reported as such
        return Check(name, False, f"not available: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    if abs(objective - TINY_OPTIMUM) > 1e-6:
        return Check(name, False, f"wrong answer to the test problem: {objective}, not 5")
    return Check(name, True, f"available (test problem solved in {seconds:.2f} s)")


def _solve_highspy() -> float:
    from bng_desktop.core.highs_model import quiet_highs

    highs = quiet_highs()
    highs.setOptionValue("threads", 1)
    x = highs.addIntegral(lb=0, ub=1)
    y = highs.addIntegral(lb=0, ub=10)
    highs.addConstr(x + y >= 2)
    highs.minimize(2 * x + 3 * y)
    status = highs.modelStatusToString(highs.getModelStatus())
    if status != "Optimal":
        raise RuntimeError(f"status {status}")
    return highs.getInfo().objective_function_value


def _solve_pulp(solver: str) -> float:
    import pulp

    problem = pulp.LpProblem("doctor", pulp.LpMinimize)
    x = pulp.LpVariable("x", 0, 1, cat=pulp.LpInteger)
    y = pulp.LpVariable("y", 0, 10, cat=pulp.LpInteger)
    problem += 2 * x + 3 * y
    problem += x + y >= 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PULP_CBC_CMD's deprecation notice
        if solver == "highs":
            backend = pulp.HiGHS(msg=False, threads=1)
        else:
            backend = pulp.PULP_CBC_CMD(msg=False)
        if not backend.available():
            raise RuntimeError(f"PuLP cannot find {solver}")
        problem.solve(backend)
    if problem.status != pulp.LpStatusOptimal:
        raise RuntimeError(f"status {pulp.LpStatus[problem.status]}")
    return float(pulp.value(problem.objective))


# ------------------------------------------------------------ cache and central database


def folder_bytes(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def central_url(workspace: Workspace) -> str | None:
    """The sync settings' URL (BNG_CENTRAL_URL overriding the saved one)."""
    return load_settings(workspace.settings).effective_url or None


def central_check(url: str | None) -> Check | None:
    """Can a TCP connection reach the server? (Credentials are not tried; the
    URL is shown with its password masked.)"""
    if not url:
        return None
    try:
        target = CentralTarget.parse(url)
    except SyncError as exc:
        return Check("central database", False, f"the configured URL is not valid: {exc}")
    shown = redact_url(url.strip())
    host, port = target.url.host or "localhost", target.url.port or 5432
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        return Check("central database", False, f"{shown}: unreachable ({exc})")
    return Check("central database", True, f"{shown}: reachable")
