"""``bng history export REF FILE``: the client document FILE's ending names
(.xlsx, .pdf, .eml), each opened back; any other ending a usage error (exit 2)
that says which endings work and writes nothing."""

from __future__ import annotations

import email
import io
from email import policy

import openpyxl
import pytest
from pypdf import PdfReader

from bng_desktop.cli import main
from bng_desktop.settings import assets_dir

SITE = ["--lpa", "Winchester", "--nca", "South Downs"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A data folder holding one saved quote: (run, reference, total)."""
    data_dir = tmp_path_factory.mktemp("data")

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "--quiet", *args])

    demand = str(assets_dir() / "sample_demand.csv")
    out = data_dir / "quote.xlsx"
    assert (
        run(
            "quote",
            "--demand",
            demand,
            *SITE,
            "--client",
            "Acme Homes",
            "--save",
            "--xlsx",
            str(out),
        )
        == 0
    )
    book = openpyxl.load_workbook(out, data_only=True)
    total = next(r for r in book["Quote"].iter_rows(values_only=True) if r[0] == "Total")[7]
    return run, "BNG-A-02025", total


def test_xlsx_writes_the_excel_quote(saved, tmp_path, capsys):
    run, reference, total = saved
    assert run("history", "export", reference, str(tmp_path / "q.xlsx")) == 0
    assert "(Excel quote)" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx", data_only=True)["Quote"]
    assert sheet["B2"].value == reference and sheet["B3"].value == "Acme Homes"
    assert next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Total")[7] == total


def test_pdf_writes_the_pdf_quote(saved, tmp_path, capsys):
    run, reference, total = saved
    assert run("history", "export", reference, str(tmp_path / "Q.PDF")) == 0
    assert "(PDF quote)" in capsys.readouterr().out
    text = " ".join(PdfReader(tmp_path / "Q.PDF").pages[0].extract_text().split())
    assert reference in text and "Acme Homes" in text and f"£{total:,} + VAT" in text


def test_eml_writes_the_client_email_to_the_given_address(saved, tmp_path, capsys):
    run, reference, total = saved
    target = tmp_path / "q.eml"
    assert run("history", "export", reference, str(target), "--to", "jo@acme.example") == 0
    said = capsys.readouterr().out
    assert f"(client email with BNG_Quote_{reference}.xlsx attached)" in said
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["To"] == "jo@acme.example" and reference in message["Subject"]
    assert f"£{total:,} + VAT" in message.get_body(("html",)).get_content()
    (part,) = message.iter_attachments()
    book = openpyxl.load_workbook(io.BytesIO(part.get_content()), data_only=True)
    assert book["Quote"]["B2"].value == reference


@pytest.mark.parametrize("name", ["q.docx", "q", "q.xlsx.bak"])
def test_an_unknown_ending_is_a_usage_error_naming_the_endings(saved, tmp_path, capsys, name):
    run, reference, _ = saved
    with pytest.raises(SystemExit) as stopped:
        run("history", "export", reference, str(tmp_path / name))
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert f"{name} " in error and "not a client document" in error
    assert ".xlsx (Excel quote), .pdf (PDF quote), .eml (client email)" in error
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_reference_exits_1_and_writes_nothing(saved, tmp_path, capsys):
    run, _, _ = saved
    assert run("history", "export", "BNG-A-09999", str(tmp_path / "q.pdf")) == 1
    assert "BNG-A-09999" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_address_exits_1_and_writes_nothing(saved, tmp_path, capsys):
    run, reference, _ = saved
    assert run("history", "export", reference, str(tmp_path / "q.eml"), "--to", "jo at") == 1
    assert "is not one email address" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
