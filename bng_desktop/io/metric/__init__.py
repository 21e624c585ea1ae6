"""Reading a developer's statutory biodiversity metric workbook (METRIC.md).

    load_metric_file(path)            the bytes, checked for hostile/damaged packages
    read_metric_workbook(file, facts)  the facts: version, per unit type rows and figures,
                                       read within a ReadBudget (cells, elements, time)

Every refusal is a ``MetricError`` (core/errors.py) whose ``kind`` is one of
``refusals.KINDS``.
"""

from .archive import MetricFile, check_package, load_metric_file
from .budget import ReadBudget
from .reader import read_metric_workbook

__all__ = [
    "MetricFile",
    "ReadBudget",
    "check_package",
    "load_metric_file",
    "read_metric_workbook",
]
