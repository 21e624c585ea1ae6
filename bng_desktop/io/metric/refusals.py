"""Every way a metric workbook is refused: METRIC.md's table of bad files,
each with its kind (what the CLI's JSON and the UI key on) and its message.

A refusal is raised before anything is imported, so a refused file changes
nothing.
"""

from __future__ import annotations

from ...core.errors import MetricError

NOT_A_METRIC = "not-a-metric"
UNSUPPORTED_VERSION = "unsupported-version"
NO_CACHED_VALUES = "no-cached-values"
ERROR_CELL = "error-cell"
BAD_VALUE = "bad-value"
METRIC_FLAG = "metric-flag"
LAYOUT = "layout"
UNKNOWN_HABITAT = "unknown-habitat"
ENCRYPTED = "encrypted"
UNSUPPORTED_FORMAT = "unsupported-format"
HOSTILE = "hostile"
DAMAGED = "damaged"
UNREADABLE = "unreadable"

KINDS = (
    NOT_A_METRIC,
    UNSUPPORTED_VERSION,
    NO_CACHED_VALUES,
    ERROR_CELL,
    BAD_VALUE,
    METRIC_FLAG,
    LAYOUT,
    UNKNOWN_HABITAT,
    ENCRYPTED,
    UNSUPPORTED_FORMAT,
    HOSTILE,
    DAMAGED,
    UNREADABLE,
)

NOTHING_IMPORTED = "Nothing was imported."


def refuse(kind: str, message: str, **details: object) -> MetricError:
    """The error to raise; every message ends by saying nothing was imported."""
    return MetricError(kind, f"{message} {NOTHING_IMPORTED}", **details)


def not_a_metric(name: str, what: str, missing: list[str] | None = None) -> MetricError:
    text = f"{name} is not a statutory biodiversity metric workbook: {what}."
    return refuse(NOT_A_METRIC, text, missing=list(missing or []))


def missing_sheets(name: str, missing: list[str]) -> MetricError:
    listed = ", ".join(f"'{s}'" for s in missing)
    return not_a_metric(name, f"it has no {listed} sheet{'s' if len(missing) > 1 else ''}", missing)


def unsupported_version(found: str, start_d8: object) -> MetricError:
    return refuse(
        UNSUPPORTED_VERSION,
        f"This is {found}; the statutory biodiversity metric (4.1) is required. Ask the "
        "developer's ecologist for the statutory metric workbook.",
        start_d8=start_d8 if isinstance(start_d8, int | float | str) else None,
    )


def no_cached_values(sheet: str, cell: str) -> MetricError:
    return refuse(
        NO_CACHED_VALUES,
        f"The workbook has no calculated results ('{sheet}'!{cell} holds a formula without "
        "its value; it was written by a program and never opened in a spreadsheet): open it "
        "in Excel or LibreOffice and save it again.",
        sheet=sheet,
        cell=cell,
    )


def error_cells(sheet: str, cells: list[tuple[str, str]]) -> MetricError:
    """Error values (#REF!, #VALUE! ...) in cells the import needs, named."""
    named = ", ".join(f"{cell} ({value})" for cell, value in cells[:10])
    more = f" and {len(cells) - 10} more" if len(cells) > 10 else ""
    return refuse(
        ERROR_CELL,
        f"'{sheet}' shows an error value in a cell the import needs: {named}{more}. "
        "Correct the metric in Excel and save it again.",
        sheet=sheet,
        cell=cells[0][0],
        cells=[cell for cell, _ in cells],
    )


def bad_value(
    sheet: str, cell: str, value: object, expected: str, why: str | None = None
) -> MetricError:
    shown = (
        repr(value)
        if not isinstance(value, str) or len(value) <= 60
        else (f"{value[:40]!r}… ({len(value):,} characters)")
    )
    reason = f" ({why})" if why else ""
    return refuse(
        BAD_VALUE,
        f"'{sheet}'!{cell} holds {shown} where {expected} belongs{reason}.",
        sheet=sheet,
        cell=cell,
    )


def metric_flag(sheet: str, cell: str, flag: str, what: str) -> MetricError:
    return refuse(
        METRIC_FLAG,
        f"The metric flags its own input: '{sheet}'!{cell} ({what}) reads {flag!r}. "
        "Correct the metric's input sheets and save it again.",
        sheet=sheet,
        cell=cell,
    )


def layout(sheet: str, what: str, cell: str | None = None) -> MetricError:
    return refuse(
        LAYOUT,
        f"'{sheet}' does not have the statutory metric's layout: {what}. Refusing rather "
        "than misreading it; send the file to support if it is a genuine metric.",
        sheet=sheet,
        cell=cell,
    )


def unknown_habitat(sheet: str, cell: str, label: str) -> MetricError:
    return refuse(
        UNKNOWN_HABITAT,
        f"'{sheet}'!{cell}: the area habitat {label!r} is not in the statutory habitat "
        "list, so its loss or gain cannot be traded.",
        sheet=sheet,
        cell=cell,
    )


def encrypted(name: str) -> MetricError:
    return refuse(
        ENCRYPTED,
        f"{name} is password-encrypted and cannot be opened. Ask for the file without a "
        "password to open (sheet protection is fine; it does not stop the import).",
    )


def unsupported_format(name: str, what: str) -> MetricError:
    return refuse(
        UNSUPPORTED_FORMAT,
        f"{name} is {what}, which BNG Desktop does not read: open it in Excel and save it "
        "as .xlsx (Excel Workbook).",
    )


def hostile(name: str, what: str) -> MetricError:
    return refuse(
        HOSTILE,
        f"{name} was refused before opening it: {what}. A statutory metric workbook is a "
        "few megabytes with a few hundred rows per sheet.",
    )


def too_much(name: str, what: str) -> MetricError:
    """A file that holds far more than any metric workbook: refused while reading,
    once a bound of ``budget.py`` is spent (nothing read so far is kept)."""
    return refuse(
        HOSTILE,
        f"{name} was refused: {what}. A statutory metric workbook holds a few hundred "
        "rows per sheet; reading stopped there.",
    )


def damaged(name: str, what: str) -> MetricError:
    return refuse(
        DAMAGED,
        f"{name} is damaged and cannot be read ({what}). Open it in Excel, save it again "
        "and import the saved copy.",
    )


def unreadable(name: str, what: str) -> MetricError:
    return refuse(UNREADABLE, f"Cannot read {name}: {what}.")


def in_file(name: str, error: MetricError) -> MetricError:
    """``error`` naming the file it is about (refusals found in a sheet name the
    sheet and cell; the file is added where the message does not name it)."""
    if error.details.get("file") == name:
        return error
    message = str(error) if str(error).startswith(name) else f"{name}: {error}"
    located = MetricError(error.kind, message, **{**error.details, "file": name})
    located.__cause__ = error.__cause__
    return located
