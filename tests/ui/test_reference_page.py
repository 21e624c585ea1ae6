"""The reference page: current version, import, and a refused workbook's problems."""

from __future__ import annotations

import asyncio
import re
import threading

import openpyxl
import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from bng_desktop.core.progress import ImportStage
from bng_desktop.core.version_terms import pulled_source
from bng_desktop.io import plain_workbook
from bng_desktop.store import PulledVersions
from bng_desktop.ui.components.import_stages import StageState, stage_states
from bng_desktop.ui.jobs import JobStatus
from tests.geo.fakes import FakeServices
from tests.metric import mutate


def workbook_bytes(services, tmp_path, edit=None) -> bytes:
    path = services.workspace.export_reference(tmp_path / "backend.xlsx")
    if edit is not None:
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
    return path.read_bytes()


async def upload(
    user: User,
    name: str,
    data: bytes,
    marker: str = "reference-upload",
    mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
) -> None:
    element = user.find(marker=marker).elements.pop()
    await element.handle_uploads([SmallFileUpload(name, mime, data)])


async def test_current_version_and_what_it_holds_are_in_plain_words(user: User, services):
    await user.open("/reference")
    await user.should_see("Version 1 is in use")
    origin = user.find(marker="current-origin").elements.pop().text
    assert origin.startswith("The bundled sample data · loaded ")
    figures = user.find(marker="current-figures").elements.pop().text
    assert figures == "20 banks · 150 habitats · 245 stock lines · 2,940 price rows"
    fingerprint = services.current_version().content_hash[:16]
    table = user.find(marker="version-table").elements.pop()
    assert [c["label"] for c in table.columns if c["label"]] == [
        "Version", "Where it came from", "When", "What it holds",
    ]  # fmt: skip
    assert fingerprint not in str(table.rows), "a fingerprint among the plain words"
    details = user.find(marker="version-details").elements.pop()
    assert details.value is False, "the details are folded away"
    assert fingerprint in str(user.find(marker="fingerprints").elements.pop().rows)


async def test_imported_and_pulled_versions_say_where_they_came_from(
    user: User, services, tmp_path
):
    path = tmp_path / "backend.xlsx"
    path.write_bytes(workbook_bytes(services, tmp_path))
    services.workspace.import_reference(path)
    data = services.workspace.references.load_data(1)
    pulled = PulledVersions(services.workspace.store).stage(
        7, data, source=pulled_source(7, "team-backend.xlsx"), label=""
    )
    PulledVersions(services.workspace.store).switch([pulled], 7)
    await user.open("/reference")
    await user.should_see("Version 3 is in use")
    rows = {row["version"]: row for row in user.find(marker="version-table").elements.pop().rows}
    assert rows[2]["origin"] == "Imported from backend.xlsx"
    assert rows[2]["when"].startswith("imported ")
    assert rows[3]["origin"] == "Pulled from the team database (team version 7, team-backend.xlsx)"
    assert rows[3]["when"].startswith("pulled ") and rows[3]["current"] == "in use"


async def test_a_good_workbook_becomes_the_new_current_version(user: User, services, tmp_path):
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    await user.should_see("Imported backend.xlsx as version 2", retries=100)
    assert services.current_version().version_id == 2
    for stage in ImportStage:
        user.find(marker=f"stage-{stage}-done")
    await user.should_see("100 %")


async def test_a_bad_workbook_is_refused_with_found_and_expected_in_a_table(
    user: User, services, tmp_path
):
    def break_it(book):
        book["Stock"]["D2"] = "lots"
        book["Stock"]["D3"] = -3
        book["Pricing"]["D3"] = "nearby"

    await user.open("/reference")
    await upload(user, "broken.xlsx", workbook_bytes(services, tmp_path, break_it))
    await user.should_see("Not imported", retries=100)
    table = user.find(marker="problem-table").elements.pop()
    assert [c["label"] for c in table.columns] == ["Sheet", "Row", "Column", "Found", "Expected"]
    found = {(r["sheet"], r["row"], r["column"], r["found"]): r["expected"] for r in table.rows}
    assert ("Stock", 2, "quantity_available", "lots") in found
    assert ("Stock", 3, "quantity_available", "-3") in found
    assert ("Pricing", 3, "tier", "nearby") in found
    assert services.current_version().version_id == 1
    assert len(services.versions()) == 1


async def test_a_refused_import_ticks_only_the_stages_that_succeeded(
    user: User, services, tmp_path
):
    await user.open("/reference")
    await upload(user, "broken.xlsx", workbook_bytes(services, tmp_path, lambda b: _lots(b)))
    await user.should_see("Not imported", retries=100)
    user.find(marker="stage-reading-done")
    user.find(marker="stage-checking-failed")
    user.find(marker="stage-storing-waiting")
    await user.should_see("1 problem found — nothing was imported")
    await user.should_see("not started — nothing was changed")
    with pytest.raises(AssertionError):
        user.find(marker="stage-storing-done")
    await user.should_not_see("100 %")


def _lots(book):
    book["Stock"]["D2"] = "lots"


def _hold_import(services, monkeypatch, at) -> tuple[threading.Event, threading.Event]:
    """Hold the app's import at its first progress report that ``at`` picks
    (stage, fraction, message): the first event is set once it is held there,
    and the import goes on when the test sets the second (or after 30 s)."""
    reached, release = threading.Event(), threading.Event()
    real_import = services.workspace.import_reference

    def held_import(path, label="", *, progress):
        def report(stage, fraction, message):
            progress(stage, fraction, message)
            if at(stage, fraction, message) and not reached.is_set():
                reached.set()
                release.wait(30)

        return real_import(path, label, progress=report)

    monkeypatch.setattr(services.workspace, "import_reference", held_import)
    return reached, release


async def test_progress_shows_the_stage_under_way_and_nothing_ticked_ahead_of_it(
    user: User, services, tmp_path, monkeypatch
):
    """The import is held (by the test) when it reaches checking: the screen shows
    reading done, checking under way, storing not started, and the real fraction."""
    reached, release = _hold_import(
        services, monkeypatch, lambda stage, fraction, message: stage == ImportStage.CHECKING
    )
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    assert await asyncio.to_thread(reached.wait, 30)
    await user.should_see("Checking sheet", retries=50)
    user.find(marker="stage-reading-done")
    user.find(marker="stage-storing-waiting")
    stage = user.find(marker="stage-checking").elements.pop()
    assert not any("checking-done" in m for e in stage.descendants() for m in e._markers)
    percent = user.find(marker="import-percent").elements.pop().text
    assert 55 <= int(percent.rstrip(" %")) < 90
    assert services.current_version().version_id == 1, "nothing stored before the end"
    release.set()
    await user.should_see("Imported backend.xlsx as version 2", retries=100)


async def test_the_bar_moves_while_a_long_sheet_is_parsed(
    user: User, services, tmp_path, monkeypatch
):
    """A sheet is reported as its XML is read, not only when it ends: the
    import is held (by the test) at a report from inside the Pricing sheet,
    and the screen shows that sheet's rows so far and a percentage off 0 %."""
    monkeypatch.setattr(plain_workbook, "REPORT_BYTES", 8192)
    monkeypatch.setattr(plain_workbook, "TEXT_CHUNK_BYTES", 8192)
    inside_pricing = re.compile(r"Reading sheet Pricing: [0-9,]+ rows")
    reached, release = _hold_import(
        services,
        monkeypatch,
        lambda stage, fraction, message: (
            bool(inside_pricing.fullmatch(message)) and fraction >= 0.02
        ),
    )
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    assert await asyncio.to_thread(reached.wait, 30)
    await user.should_see("Reading sheet Pricing: ", retries=50)
    percent = int(user.find(marker="import-percent").elements.pop().text.rstrip(" %"))
    assert 2 <= percent < 48, "inside the parse, which is 80 % of reading's 60 %"
    bar = user.find(marker="import-bar").elements.pop()
    assert round(bar.value * 100) == percent, "the bar stands where the percentage says"
    assert "instant-feedback" in bar.props, "drawn at its value, not animated towards it"
    release.set()
    await user.should_see("Imported backend.xlsx as version 2", retries=100)


async def test_cancel_leaves_the_current_version_as_it_was(
    user: User, services, tmp_path, monkeypatch
):
    reached, release = threading.Event(), threading.Event()
    real_import = services.workspace.import_reference

    def held_import(path, label="", *, progress):
        def report(stage, fraction, message):
            if stage == ImportStage.STORING and not reached.is_set():
                reached.set()
                release.wait(30)
            progress(stage, fraction, message)

        return real_import(path, label, progress=report)

    monkeypatch.setattr(services.workspace, "import_reference", held_import)
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    assert await asyncio.to_thread(reached.wait, 30)
    user.find(marker="import-cancel").click()
    release.set()
    await user.should_see("cancelled — nothing was changed", retries=100)
    user.find(marker="stage-checking-done")
    user.find(marker="stage-storing-cancelled")
    assert services.current_version().version_id == 1
    assert len(services.versions()) == 1


def test_stage_states_tick_only_finished_stages():
    running, failed = JobStatus.RUNNING, JobStatus.FAILED
    assert stage_states("", JobStatus.QUEUED) == dict.fromkeys(ImportStage, StageState.WAITING)
    assert list(stage_states("checking", running).values()) == [
        StageState.DONE,
        StageState.RUNNING,
        StageState.WAITING,
    ]
    assert list(stage_states("reading", failed).values()) == [
        StageState.FAILED,
        StageState.WAITING,
        StageState.WAITING,
    ]
    assert set(stage_states("reading", JobStatus.DONE).values()) == {StageState.DONE}


def test_the_workspace_reports_every_stage_in_order_with_rising_fractions(services, tmp_path):
    path = tmp_path / "backend.xlsx"
    path.write_bytes(workbook_bytes(services, tmp_path))
    heard: list[tuple[str, float, str]] = []
    services.workspace.import_reference(path, progress=lambda *said: heard.append(said))
    stages = [stage for stage, _, _ in heard]
    assert stages == sorted(stages, key=list(ImportStage).index)
    assert set(stages) == set(ImportStage)
    fractions = [fraction for _, fraction, _ in heard]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    messages = " | ".join(message for _, _, message in heard)
    for sheet in ("Banks", "Pricing", "Stock", "HabitatCatalog"):
        assert f"Reading sheet {sheet}" in messages and f"Checking sheet {sheet}" in messages
    assert "Stored as version 2" in heard[-1][2]


async def test_banks_without_lpa_or_nca_are_looked_up_with_progress(
    user: User, services, tmp_path, monkeypatch
):
    fake = FakeServices().start()
    try:
        for name, url in fake.environment().items():
            monkeypatch.setenv(name, url)

        def unlocate(book):
            banks = book["Banks"]
            header = [c.value for c in banks[1]]
            for column in ("lpa_name", "nca_name"):
                banks.cell(row=2, column=header.index(column) + 1).value = None
            banks.cell(row=2, column=header.index("postcode") + 1).value = "SO23 9LJ"

        services.import_reference(_saved(services, tmp_path, unlocate))
        await user.open("/reference")
        await user.should_see("1 bank(s) have no LPA or NCA")
        user.find("Look them up").click()
        await user.should_see("Located 1 bank(s)", retries=100)
        snapshot = services.snapshot()
        located = [b for b in snapshot.banks.values() if b.lpa == "Winchester"]
        assert located, "the located bank takes the district of its postcode"
    finally:
        fake.stop()


def _saved(services, tmp_path, edit):
    path = tmp_path / "unlocated.xlsx"
    path.write_bytes(workbook_bytes(services, tmp_path, edit))
    return path


def _thousands_of_digits(data: bytes) -> bytes:
    raw = '<c r="D2" t="n"><v>' + "9" * 5_000 + "</v></c>"
    return mutate.edit_sheet(
        data,
        "Stock",
        lambda xml: mutate.put_cell(xml, "D2", 0).replace(mutate.cell_xml("D2", 0), raw),
    )


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_thousands_of_digits, "thousands of digits"),
        (lambda data: data[: len(data) // 2], "is not an Excel workbook"),
    ],
    ids=["5,000-digit number", "truncated"],
)
async def test_a_damaged_workbook_shows_the_refusal_and_no_tick(
    user: User, services, tmp_path, damage, says
):
    await user.open("/reference")
    await upload(user, "damaged.xlsx", damage(workbook_bytes(services, tmp_path)))
    await user.should_see("Not imported", retries=100)
    summary = " ".join(label.text for label in user.find(ui.label).elements)
    assert says in summary + " ".join(str(row) for row in _problem_rows(user))
    user.find(marker="stage-reading-failed")
    for stage in ImportStage:
        with pytest.raises(AssertionError):
            user.find(marker=f"stage-{stage}-done")
    assert len(services.versions()) == 1


def _problem_rows(user: User) -> list[dict]:
    try:
        tables = user.find(marker="problem-table").elements
    except AssertionError:  # a refusal with no row to point at has no table
        return []
    return [row for table in tables for row in table.rows]


def prices_table(user: User) -> ui.table:
    return next(iter(user.find(marker="credit-prices").elements)).default_slot.children[0]


PRICES_CSV = b"tier,price_per_credit_gbp\nA1,50000\nA2,56000\nA3,76000\nA4,145000\n"


async def test_an_admin_sets_credit_prices_from_a_file_with_their_date(user: User, services):
    await user.open("/reference")
    await user.should_see("Statutory credit prices (admin)")
    assert [r["source"] for r in prices_table(user).rows] == ["GOV.UK (bundled)"]
    await user.should_see("quotes use the bundled GOV.UK prices above")
    user.find(marker="prices-from").type("01/04/2025")
    await upload(user, "prices.csv", PRICES_CSV, "prices-upload", "text/csv")
    await user.should_see("Not set", retries=50)
    table = user.find(marker="prices-problems").elements.pop()
    assert table.columns[0]["label"] == "File", "a CSV has no sheets"
    assert "hide-bottom" in table.props, "three problems need no page controls"
    await user.should_see("Correct what the table lists in the file")
    assert {r["expected"] for r in table.rows} == {
        f"a row for tier {tier}" for tier in ("A5", "H", "W")
    }
    assert len(services.credit_price_sets()) == 1, "nothing was stored"

    good = PRICES_CSV + b"A5,760000\nH,51000\nW,268000\n"
    await upload(user, "prices.csv", good, "prices-upload", "text/csv")
    await user.should_see("Statutory credit prices of 1 April 2025 set.", retries=50)
    await user.should_not_see("quotes use the bundled GOV.UK prices above")
    shown = prices_table(user).rows
    assert [(r["from"], r["A5"]) for r in shown] == [
        ("27 July 2023", "£650,000"),
        ("1 April 2025", "£760,000"),
    ]
    newest = services.credit_price_sets()[-1]
    assert newest.effective_from.isoformat() == "2025-04-01"
    assert services.workspace.credit_schedule().prices_date.isoformat() == "2025-04-01"


async def test_a_day_that_has_prices_is_replaced_only_after_a_yes(user: User, services):
    good = PRICES_CSV + b"A5,760000\nH,51000\nW,268000\n"
    await user.open("/reference")
    user.find(marker="prices-from").type("27/07/2023")
    await upload(user, "dearer.csv", good, "prices-upload", "text/csv")
    await user.should_see("Replace the statutory credit prices of 27 July 2023?", retries=50)
    await user.should_see("That day already has prices, from GOV.UK (bundled).")
    user.find(marker="replace-prices-no").click()
    await user.should_see("they stay unless you replace them")
    assert services.workspace.credit_prices.all() == [], "kept: nothing stored"

    await upload(user, "dearer.csv", good, "prices-upload", "text/csv")
    await user.should_see("Replace the statutory credit prices of 27 July 2023?", retries=50)
    user.find(marker="replace-prices-yes").click()
    await user.should_see("Statutory credit prices of 27 July 2023 set.", retries=50)
    shown = prices_table(user).rows
    assert [(r["from"], r["source"], r["A5"]) for r in shown] == [
        ("27 July 2023", "dearer.csv", "£760,000")
    ]


async def test_a_file_turned_away_by_the_prices_picker_is_called_a_prices_file(user: User):
    await user.open("/reference")
    user.find(marker="prices-upload").trigger("rejected")
    await user.should_see("Choose a prices file (.csv) of at most 50 MB.")


HOSTILE_PRICES = (
    b'tier,price_per_credit_gbp\nA1,"42,5"\nA2,=HYPERLINK("x")\nA3,+1\nA4,999999999999\n'
    b"A5,760000\nH,51000\nW,268000\nA5,1\n"
)


async def test_a_hostile_prices_file_is_refused_cell_by_cell(user: User, services):
    await user.open("/reference")
    user.find(marker="prices-from").type("01/04/2025")
    await upload(user, "hostile.csv", HOSTILE_PRICES, "prices-upload", "text/csv")
    await user.should_see("Not set", retries=50)
    table = user.find(marker="prices-problems").elements.pop()
    assert [(r["sheet"], r["row"], r["column"], r["found"]) for r in table.rows] == [
        ("hostile.csv", 2, "price_per_credit_gbp", "42,5"),
        ("hostile.csv", 3, "price_per_credit_gbp", '=HYPERLINK("x")'),
        ("hostile.csv", 4, "price_per_credit_gbp", "+1"),
        ("hostile.csv", 5, "price_per_credit_gbp", "999999999999"),
        ("hostile.csv", 9, "tier", "A5"),
    ]
    assert "use a point for decimals: 42.5" in table.rows[0]["expected"]
    assert "spreadsheet formula" in table.rows[1]["expected"]
    assert len(services.credit_price_sets()) == 1, "nothing was stored"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "the file is empty"),
        (b"tier,price_per_credit_gbp\nA1,42\xa3000\n", "byte 0xA3 is not UTF-8 text"),
    ],
)
async def test_an_empty_or_non_utf8_prices_file_says_so(user: User, services, data, said):
    await user.open("/reference")
    user.find(marker="prices-from").type("01/04/2025")
    await upload(user, "odd.csv", data, "prices-upload", "text/csv")
    await user.should_see("Not set", retries=50)
    rows = user.find(marker="prices-problems").elements.pop().rows
    assert len(rows) == 1 and rows[0]["sheet"] == "odd.csv" and said in rows[0]["expected"]
    assert len(services.credit_price_sets()) == 1, "nothing was stored"


async def test_prices_dated_years_ahead_are_refused(user: User, services):
    await user.open("/reference")
    user.find(marker="prices-from").type("01/04/2099")
    good = PRICES_CSV + b"A5,760000\nH,51000\nW,268000\n"
    await upload(user, "prices.csv", good, "prices-upload", "text/csv")
    await user.should_see("more than two years ahead", retries=50)
    assert len(services.credit_price_sets()) == 1, "nothing was stored"


@pytest.mark.parametrize("sent", ["..", "", "C:\\Users\\jo\\prices.csv"])
async def test_a_prices_upload_named_oddly_is_read_under_a_plain_name(user: User, services, sent):
    await user.open("/reference")
    user.find(marker="prices-from").type("01/04/2025")
    good = PRICES_CSV + b"A5,760000\nH,51000\nW,268000\n"
    await upload(user, sent, good, "prices-upload", "text/csv")
    await user.should_see("Statutory credit prices of 1 April 2025 set.", retries=50)
    assert services.credit_price_sets()[-1].source == "prices.csv"
