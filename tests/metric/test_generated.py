"""The reader and the offsetting over the shared generator's workbooks: every
readable variant gives exactly the generator's lines and report, every bad
variant its refusal — over 20 seeds, as generated (sheets declaring sizes as
Excel and LibreOffice do), re-saved as the tool writes it and as .xlsm."""

from __future__ import annotations

import pytest

from bng_desktop.core.errors import MetricError
from bng_desktop.io.metric.to_json import import_to_json
from bng_desktop.metric_import import import_metric
from tests.metric.compare import differences, labelled_warnings, line_differences
from tests.metric.conftest import BAD_SEEDS, EXTRA, READABLE_SEEDS
from tests.metric.generated import BAD, FORMS, READABLE, Spec

READ_SPECS = [*(Spec(v, s) for v in READABLE for s in READABLE_SEEDS), *EXTRA]
BAD_SPECS = [Spec(v, s) for v in BAD for s in BAD_SEEDS]


def cases(specs: list[Spec]) -> list:
    return [pytest.param(s, f, id=f"{s.stem}-{f}") for s in specs for f in FORMS]


@pytest.mark.parametrize(("spec", "form"), cases(READ_SPECS))
def test_a_readable_workbook_gives_the_generators_lines_and_report(metric_workbooks, spec, form):
    generated = metric_workbooks[spec]
    expected = generated.expected
    result = import_to_json(import_metric(generated.form(form)))
    found = line_differences(result["lines"], expected["demand_lines"])
    found += differences(result["report"], expected["report"], "report")
    assert not found, "\n".join(found[:20])
    assert result["metric_version"] == "4.1" and expected["metric"]["start_d8"] == 4.1
    assert result["release"] == expected["metric"]["release"]
    assert result["saved_by"] == expected["metric"]["saved_by"]
    assert result["trading_rules_satisfied"] == expected["trading_rules_satisfied"]
    assert labelled_warnings(result["warnings"]) == labelled_warnings(expected["warnings"])
    assert_lines_cover_the_metrics_unit_deficit(result)


@pytest.mark.parametrize(("spec", "form"), cases(BAD_SPECS))
def test_a_bad_workbook_is_refused_with_its_kind(metric_workbooks, spec, form):
    generated = metric_workbooks[spec]
    expected = generated.expected
    path = generated.form(form)
    with pytest.raises(MetricError) as refused:
        import_metric(path)
    error = refused.value
    assert error.kind == expected["error"]
    assert str(error).startswith(f"{path.name}") and error.details["file"] == path.name
    assert str(error).endswith("Nothing was imported.")
    if "cell" in expected:
        assert error.details["sheet"] == expected["sheet"]
        assert expected["cell"] in error.details.get("cells", [error.details["cell"]])
        assert expected["cell"] in str(error)
    if "missing" in expected:
        assert error.details["missing"] == expected["missing"]


def assert_lines_cover_the_metrics_unit_deficit(result: dict) -> None:
    """The generator's README: per unit type, Σ lines ≥ the metric's own Unit Deficit
    (less residuals and a Net Gain remainder of 0.0001 or under, which are dropped)."""
    for unit_type, report in result["report"].items():
        bought = sum(ln["units_required"] for ln in result["lines"] if ln["unit_type"] == unit_type)
        dropped = 0.0001 * (1 + len(report["deficits"]))
        assert bought >= report["metric_unit_deficit"] - dropped - 1e-9, unit_type
