"""The service the CLI and the UI call to import a metric workbook.

    preview = import_metric(path, progress=..., cancel=...)   # read + offset, in a worker thread
    request = apply_metric(request, preview, append=False)    # the consultant accepts it

``import_metric`` touches nothing but the file: a refused workbook raises a
MetricError naming the file (and the sheet and cell where there is one) and
changes nothing. ``apply_metric`` is pure.
"""

from __future__ import annotations

from pathlib import Path

from .core.catalogue import StatutoryFacts
from .core.errors import MetricError, QuoteCancelled
from .core.joint_offsetting import OnSitePlan, metric_plan
from .core.metric import MetricImport, import_metric_workbook
from .core.onsite_choice import with_plan
from .core.progress import CancelToken, ProgressCallback, no_progress
from .core.result import QuoteRequest
from .io.metric import load_metric_file, read_metric_workbook, refusals
from .io.statutory import load_statutory_facts


def import_metric(
    path: str | Path,
    *,
    facts: StatutoryFacts | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> MetricImport:
    """Read the workbook at ``path`` and offset it on site: the lines and the report.

    Thread-safe and side-effect free; progress stages are "read" and "offset".
    """
    name = Path(path).name
    progress("read", 0.0, f"Checking {name}")
    try:
        file = load_metric_file(path)
        workbook = read_metric_workbook(
            file, facts or load_statutory_facts(), progress=progress, cancel=cancel
        )
    except MetricError as error:
        raise refusals.in_file(name, error) from error.__cause__
    if cancel is not None and cancel.cancelled:
        raise QuoteCancelled("The metric import was cancelled; nothing was imported.")
    progress("offset", 0.9, "Offsetting deficits on site")
    imported = import_metric_workbook(workbook, file.name, file.sha256)
    progress("done", 1.0, f"{len(imported.lines)} demand line(s) from {file.name}")
    return imported


def apply_metric(
    request: QuoteRequest,
    imported: MetricImport,
    *,
    append: bool = False,
    suo: bool = True,
    plan: OnSitePlan | None = None,
) -> QuoteRequest:
    """The request with the metric's lines (replacing the demand, or after it),
    its surplus for the SUO discount (unless ``suo`` is off), its source and
    how the surplus was used on site (``plan``; default: the metric's order)."""
    chosen = plan if plan is not None else metric_plan(imported)
    return with_plan(request, imported, chosen, append=append, suo=suo)
