"""The one-folder executable writes the three client documents of a saved
quote: ``history export`` to .xlsx, .pdf (ReportLab and the bundled fonts
frozen) and .eml (the Excel quote and the developer's metric attached), each
opened back; any other ending exits 2."""

from __future__ import annotations

import email
import hashlib
import io
from email import policy

import openpyxl
import pytest
from pypdf import PdfReader

from bng_desktop.settings import assets_dir
from tests.metric.generated import Spec, generate
from tests.packaging.frozen import run_frozen
from tests.shared_data import needs_shared

pytestmark = pytest.mark.slow

SITE = ["--lpa", "Winchester", "--nca", "South Downs"]


def saved_quote(frozen, data, *source: str) -> str:
    result = run_frozen(
        frozen,
        *("--data-dir", str(data), "--quiet", "quote", *source, *SITE),
        *("--client", "Acme Homes", "--save", "--no-cache"),
    )
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stderr.splitlines() if "Saved as" in line).split()[-1]


def export(frozen, data, reference, target, *extra: str):
    return run_frozen(
        frozen, "--data-dir", str(data), "history", "export", reference, str(target), *extra
    )


def test_the_frozen_app_exports_all_three_documents(frozen, tmp_path):
    data = tmp_path / "data"
    reference = saved_quote(frozen, data, "--demand", str(assets_dir() / "sample_demand.csv"))
    for name in ("quote.xlsx", "quote.pdf", "quote.eml"):
        done = export(frozen, data, reference, tmp_path / name, "--to", "jo@acme.example")
        assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "quote.xlsx", data_only=True)["Quote"]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Total")[7]
    pdf = PdfReader(tmp_path / "quote.pdf")
    text = " ".join(pdf.pages[0].extract_text().split())
    assert reference in text and "Acme Homes" in text and f"Total: £{total:,} + VAT" in text
    fonts = [f.get_object()["/BaseFont"] for f in pdf.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("DejaVuSans" in name for name in fonts)
    message = email.message_from_bytes((tmp_path / "quote.eml").read_bytes(), policy=policy.default)
    assert message["To"] == "jo@acme.example" and reference in message["Subject"]
    assert f"£{total:,} + VAT" in message.get_body(("html",)).get_content()
    (attached,) = message.iter_attachments()
    book = openpyxl.load_workbook(io.BytesIO(attached.get_content()), data_only=True)
    assert book["Quote"]["B2"].value == reference


def test_an_unknown_ending_exits_2(frozen, tmp_path):
    data = tmp_path / "data"
    reference = saved_quote(frozen, data, "--demand", str(assets_dir() / "sample_demand.csv"))
    done = export(frozen, data, reference, tmp_path / "quote.docx")
    assert done.returncode == 2
    assert "not a client document" in done.stderr and not (tmp_path / "quote.docx").exists()


@needs_shared
def test_the_frozen_email_attaches_the_developers_metric(frozen, tmp_path):
    spec = Spec("1.0.3", 14)
    workbook = generate(tmp_path / "metric", [spec])[spec].workbook
    data = tmp_path / "data"
    reference = saved_quote(frozen, data, "--metric", str(workbook))
    done = export(frozen, data, reference, tmp_path / "quote.eml")
    assert done.returncode == 0, done.stderr
    message = email.message_from_bytes((tmp_path / "quote.eml").read_bytes(), policy=policy.default)
    metric = {p.get_filename(): p for p in message.iter_attachments()}[workbook.name]
    assert hashlib.sha256(metric.get_content()).hexdigest() == (
        hashlib.sha256(workbook.read_bytes()).hexdigest()
    )
