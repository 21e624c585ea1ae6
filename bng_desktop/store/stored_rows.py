"""Progress of a reference version being stored, by rows written, kind by kind
(shared by the one-transaction import and the staged one)."""

from __future__ import annotations

from ..core.progress import StageReport


class StoredRows:
    """Storing progress by rows written, kind by kind."""

    def __init__(self, report: StageReport | None, total: int):
        self.report = report
        self.total = max(1, total)
        self.written = 0

    def before(self, field: str) -> None:
        if self.report is not None:
            self.report(self.written / self.total, f"Storing {field.replace('_', ' ')}")

    def after(self, rows: int) -> None:
        self.written += rows
        if self.report is not None:
            self.report(self.written / self.total, f"Stored {self.written:,} rows")
