"""Round trip between two desktops through the real central database."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from bng_desktop.core.errors import ReferenceDataError, StoreError, SyncError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.result import QuoteRequest
from bng_desktop.settings import sample_reference_path
from bng_desktop.sync.publish import Publisher, publish_data, read_workbook
from tests.factories import make_quote
from tests.store.builders import rich_reference

WINCHESTER = QuoteRequest(
    Site(lpa="Winchester", nca="South Downs"),
    (DemandLine("Grassland - Modified grassland", Fraction(3, 2)),),
)


def test_publish_on_a_pull_on_b_quote_on_b_see_it_on_a(central, desktop):
    a, b = desktop("a"), desktop("b")
    published = a.sync.publish_workbook(sample_reference_path(), url=central.url)
    assert not published.unchanged and published.rows > 4000

    report = b.sync.sync(central.url)
    assert report.ok, report.error
    current = b.references.current_version()
    assert current.content_hash == published.content_hash
    assert current.source == f"central v{published.central_id}: sample_reference.xlsx"
    assert b.references.load_data(current.version_id) == read_workbook(sample_reference_path())

    quote = b.quote(WINCHESTER)
    saved = b.save_quote(quote, client_name="Acme Homes")
    report = b.sync.sync(central.url)
    assert report.pushed.quotes == 1 and report.pushed.renumbered == []

    report = a.sync.sync(central.url)
    assert report.ok and report.team_quotes == 1
    seen = a.quotes.get(saved.reference)
    assert seen.uuid == saved.uuid and seen.client_name == "Acme Homes"
    assert seen.quote == quote  # the exact payload, lines and all
    assert [s.reference for s in a.quotes.search(team=True)] == [saved.reference]
    assert a.quotes.search(team=False) == []
    with pytest.raises(StoreError, match="colleague's quote"):
        a.quotes.delete(saved.reference, confirm=True)
    assert a.quotes.get(saved.reference).uuid == saved.uuid


def test_a_colleagues_quotes_are_filterable_by_author(central, desktop):
    a, b = desktop("a"), desktop("b")
    a.quotes.save(make_quote(), client_name="Mine", author="alex")
    b.quotes.save(make_quote(), client_name="Theirs", author="sam")
    for ws in (a, b, a):
        assert ws.sync.sync(central.url).ok
    assert [s.client_name for s in a.quotes.search(author="SAM")] == ["Theirs"]
    assert [s.client_name for s in a.quotes.search(author="alex")] == ["Mine"]
    assert [s.author for s in a.quotes.search(team=True)] == ["sam"]


def test_a_blank_author_is_pushed_as_the_desktops_name(central, desktop):
    a, b = desktop("a"), desktop("b")
    saved = a.quotes.save(make_quote(), client_name="Acme")
    assert saved.author == ""
    a.sync.save_settings(dataclasses.replace(a.sync.settings(), author="Jo Bloggs"))
    a.sync.sync(central.url)
    b.sync.sync(central.url)
    assert b.quotes.get(saved.reference).author == "Jo Bloggs"
    assert a.quotes.get(saved.reference).author == "Jo Bloggs"


def test_a_newer_version_replaces_the_pulled_one_and_old_ones_stay(central, desktop):
    a, b = desktop("a"), desktop("b")
    a.sync.publish_workbook(sample_reference_path(), url=central.url)
    b.sync.sync(central.url)
    first = b.references.current_version()
    with a.sync.central_engine(central.url) as engine:
        second = publish_data(
            engine, rich_reference("v2"), source="edited.xlsx", publisher=Publisher("admin", "x")
        )
    report = b.sync.sync(central.url)
    assert [c for c, _ in report.versions] == [second.central_id]
    assert b.references.current_version().content_hash == second.content_hash
    assert b.references.load_data(first.version_id) == read_workbook(sample_reference_path())
    assert b.sync.sync(central.url).versions == []  # nothing newer: nothing fetched


def test_publishing_the_local_version_links_it_so_it_is_not_pulled_back(central, desktop):
    a = desktop("a")
    local = a.import_reference(sample_reference_path())
    published = a.sync.publish_local(url=central.url)
    assert published.content_hash == local.content_hash
    report = a.sync.sync(central.url)
    assert report.versions == [] and a.references.current_version() == local


def test_publishing_the_same_content_again_adds_no_version(central, desktop):
    a = desktop("a")
    first = a.sync.publish_workbook(sample_reference_path(), url=central.url)
    again = a.sync.publish_workbook(sample_reference_path(), url=central.url)
    assert again.unchanged and again.central_id == first.central_id
    assert central.scalar("SELECT count(*) FROM reference_version") == 1


def test_a_bad_workbook_is_refused_with_its_problems_and_nothing_is_sent(
    central, desktop, tmp_path
):
    import openpyxl

    book = openpyxl.load_workbook(sample_reference_path())
    book["Stock"].cell(row=2, column=book["Stock"].max_column).value = "lots"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with pytest.raises(ReferenceDataError) as refused:
        desktop("a").sync.publish_workbook(bad, url=central.url)
    assert refused.value.problems
    assert central.scalar("SELECT count(*) FROM reference_version") == 0


def test_bank_locations_travel_with_a_published_local_version(central, desktop):
    from bng_desktop.core.bank_geography import BankLocation

    a, b = desktop("a"), desktop("b")
    version = a.references.import_data(rich_reference(), source="rich")
    located = BankLocation("B2", "Cornwall", "Bodmin Moor", 50.5, -4.6, "postcode", "2025-01-01")
    a.bank_locations.save(version.version_id, [located])
    a.sync.publish_local(url=central.url)
    b.sync.sync(central.url)
    pulled = b.references.current_version()
    assert b.bank_locations.read(pulled.version_id) == {"B2": located}
    assert b.snapshot().banks["B2"].nca == "Bodmin Moor"


def test_syncing_with_a_database_without_the_schema_says_what_to_do(empty_database, desktop):
    report = desktop("a").sync.sync(empty_database)
    assert report.online and not report.ok
    assert "bng central init" in report.error


def test_a_central_url_is_required(desktop):
    with pytest.raises(SyncError, match="No central database is set"):
        desktop("a").sync.target()


def test_a_version_whose_rows_do_not_match_its_hash_is_not_used(central, desktop):
    a, b = desktop("a"), desktop("b")
    a.sync.publish_workbook(sample_reference_path(), url=central.url)
    central.rows("UPDATE ref_price SET price = '1' WHERE id = 1 RETURNING 1")
    report = b.sync.sync(central.url)
    assert report.online and not report.ok
    assert "does not match its published content hash" in report.error
    assert b.references.list_versions() == []
