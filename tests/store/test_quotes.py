"""The quote history: references, revisions, search, delete."""

from __future__ import annotations

import dataclasses
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from bng_desktop.core.errors import QuoteNotFound, StoreError
from bng_desktop.core.model import Site
from bng_desktop.settings import Paths
from bng_desktop.store import QuoteRepository, ReferenceRepository, Store
from bng_desktop.store import quotes as quotes_module
from bng_desktop.store.quote_rows import SUMMARY_COLUMNS, QuoteSummary
from tests.factories import make_quote, tiny_reference
from tests.store.builders import rich_quote
from tests.store.workers import save_quotes


def _refs(numbers) -> list[str]:
    return [f"BNG-A-{n:05d}" for n in numbers]


def test_save_and_get_round_trip(quotes: QuoteRepository) -> None:
    quote = rich_quote()
    saved = quotes.save(quote, client_name="Acme Homes", author="jo")
    assert saved.reference == saved.base_reference == "BNG-A-02025"
    assert saved.revision == 0
    loaded = quotes.get("BNG-A-02025")
    assert loaded == saved
    assert loaded.quote == quote
    assert loaded.quote is not quote


def test_references_are_sequential_from_02025(quotes: QuoteRepository) -> None:
    saved = [quotes.save(make_quote(), client_name=f"c{i}").reference for i in range(3)]
    assert saved == _refs(range(2025, 2028))


def test_a_given_uuid_is_kept_and_cannot_be_reused(quotes: QuoteRepository) -> None:
    saved = quotes.save(make_quote(), client_name="a", uuid="1234-abcd")
    assert saved.uuid == "1234-abcd"
    with pytest.raises(StoreError, match="already stored"):
        quotes.save(make_quote(), client_name="a", uuid="1234-abcd")


def test_a_deleted_number_is_never_reused(quotes: QuoteRepository) -> None:
    quotes.save(make_quote(), client_name="a")
    quotes.save(make_quote(), client_name="b")
    quotes.delete("BNG-A-02026", confirm=True)
    assert quotes.save(make_quote(), client_name="c").reference == "BNG-A-02027"


def test_numbering_continues_after_the_highest_existing_reference(
    store: Store, quotes: QuoteRepository
) -> None:
    quotes.save(make_quote(), client_name="a")
    with store.transaction() as conn:
        conn.execute(text("UPDATE quote SET reference = 'BNG-A-03100'"))
        conn.execute(text("UPDATE quote SET base_reference = 'BNG-A-03100'"))
    assert quotes.save(make_quote(), client_name="b").reference == "BNG-A-03101"


def test_threads_never_share_a_reference(quotes: QuoteRepository) -> None:
    def save(i: int) -> str:
        return quotes.save(make_quote(), client_name=f"thread {i}").reference

    with ThreadPoolExecutor(max_workers=8) as pool:
        saved = list(pool.map(save, range(40)))
    assert sorted(saved) == _refs(range(2025, 2065))


def test_processes_never_share_a_reference(paths: Paths) -> None:
    """Two processes open the same new file at once (both migrating), then save
    at the same time."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=save_quotes, args=(str(paths.data_dir), 20, name, barrier, results))
        for name in ("p1", "p2")
    ]
    for worker in workers:
        worker.start()
    saved = [ref for _ in workers for ref in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sorted(saved) == _refs(range(2025, 2065))


def test_a_reference_taken_under_our_feet_is_retried(
    quotes: QuoteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UNIQUE constraint is the last guard: a collision means a fresh number."""
    quotes.save(make_quote(), client_name="a")
    calls = []
    real_next = quotes_module._next_number

    def stale_then_real(conn):
        calls.append(1)
        return 2025 if len(calls) == 1 else real_next(conn)

    monkeypatch.setattr(quotes_module, "_next_number", stale_then_real)
    assert quotes.save(make_quote(), client_name="b").reference == "BNG-A-02026"
    assert len(calls) == 2


def test_revisions_count_up_from_the_base(quotes: QuoteRepository) -> None:
    base = quotes.save(make_quote(), client_name="Acme", author="jo")
    first = quotes.save_revision(base.reference, rich_quote(), author="sam")
    second = quotes.save_revision(first.reference, make_quote(), client_name="Acme Ltd")
    assert (first.reference, first.revision, first.client_name) == ("BNG-A-02025.1", 1, "Acme")
    assert (second.reference, second.base_reference) == ("BNG-A-02025.2", "BNG-A-02025")
    assert second.client_name == "Acme Ltd"
    assert quotes.get("bng-a-02025.1").quote == rich_quote()
    assert [s.reference for s in quotes.revisions("BNG-A-02025.2")] == [
        "BNG-A-02025",
        "BNG-A-02025.1",
        "BNG-A-02025.2",
    ]
    assert quotes.save(make_quote(), client_name="next").reference == "BNG-A-02026"


def test_revising_an_unknown_quote_raises_not_found(quotes: QuoteRepository) -> None:
    with pytest.raises(QuoteNotFound):
        quotes.save_revision("BNG-A-09999", make_quote())


def test_not_found_explains_and_lists_related_quotes(quotes: QuoteRepository) -> None:
    quotes.save(make_quote(), client_name="a")
    quotes.save_revision("BNG-A-02025", make_quote())
    with pytest.raises(QuoteNotFound, match=r"'BNG-A-02025\.7'.*BNG-A-02025, BNG-A-02025\.1"):
        quotes.get("BNG-A-02025.7")
    with pytest.raises(QuoteNotFound, match="look like BNG-A-02025"):
        quotes.get("02025")
    with pytest.raises(QuoteNotFound, match="Search the quote history"):
        quotes.get("BNG-A-04444")


def test_delete_needs_confirmation_and_cascades_to_lines(
    store: Store, quotes: QuoteRepository
) -> None:
    saved = quotes.save(rich_quote(), client_name="a")
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM quote_line")).scalar() == 4
    with pytest.raises(StoreError, match="needs confirmation"):
        quotes.delete(saved.reference)
    assert quotes.get(saved.reference) == saved
    quotes.delete(saved.reference, confirm=True)
    with pytest.raises(QuoteNotFound):
        quotes.get(saved.reference)
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM quote_line")).scalar() == 0
    with pytest.raises(QuoteNotFound):
        quotes.delete(saved.reference, confirm=True)


def test_quote_lines_hold_exact_values_for_sql(store: Store, quotes: QuoteRepository) -> None:
    quotes.save(rich_quote(), client_name="a")
    with store.read() as conn:
        rows = conn.execute(
            text("SELECT position, kind, tier, units_supplied, unit_price FROM quote_line")
        ).all()
    assert rows[0] == (0, "optimiser", "local", "1/3", "52.45")
    assert rows[3][1:3] == ("manual", None)


def test_the_reference_version_is_linked_when_this_store_has_it(
    quotes: QuoteRepository, references: ReferenceRepository
) -> None:
    version = references.import_data(tiny_reference(), "test")
    ours = dataclasses.replace(
        make_quote(), reference_version=version.version_id, reference_hash=version.content_hash
    )
    linked = quotes.save(ours, client_name="a")
    foreign = quotes.save(make_quote(), client_name="b")
    by_ref = {s.reference: s.reference_version_id for s in quotes.search()}
    assert by_ref == {linked.reference: version.version_id, foreign.reference: None}


def _quote_at(lpa: str, nca: str):
    return make_quote(site=Site(lpa=lpa, nca=nca))


@pytest.fixture
def history(quotes: QuoteRepository, monkeypatch: pytest.MonkeyPatch) -> QuoteRepository:
    saves = [
        ("2025-01-31T23:59:59.000000+00:00", "Acme Homes", "Winchester", "South Downs"),
        ("2025-02-01T00:00:00.000000+00:00", "Béal Developments", "Test Valley", "Hampshire Downs"),
        ("2025-02-15T12:00:00.000000+00:00", "ACME 50%_off", "Cornwall", "Bodmin Moor"),
    ]
    for when, client, lpa, nca in saves:
        monkeypatch.setattr(quotes_module, "utc_now", lambda when=when: when)
        quotes.save(_quote_at(lpa, nca), client_name=client)
    return quotes


def _found(summaries: list[QuoteSummary]) -> list[str]:
    return [s.client_name for s in summaries]


def test_search_returns_summaries_newest_first(history: QuoteRepository) -> None:
    found = history.search()
    assert _found(found) == ["ACME 50%_off", "Béal Developments", "Acme Homes"]
    assert all(isinstance(s, QuoteSummary) for s in found)
    assert found[0].total == float(make_quote().totals.total)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"client": "acme"}, ["ACME 50%_off", "Acme Homes"]),
        ({"client": "BÉAL"}, ["Béal Developments"]),
        ({"client": "50%_"}, ["ACME 50%_off"]),
        ({"client": "%"}, ["ACME 50%_off"]),
        ({"client": "  "}, ["ACME 50%_off", "Béal Developments", "Acme Homes"]),
        ({"reference": "a-02026"}, ["Béal Developments"]),
        ({"lpa": "valley"}, ["Béal Developments"]),
        ({"nca": "downs"}, ["Béal Developments", "Acme Homes"]),
        ({"date_from": "2025-02-01"}, ["ACME 50%_off", "Béal Developments"]),
        ({"date_to": "2025-01-31"}, ["Acme Homes"]),
        ({"date_from": "2025-02-01", "date_to": "2025-02-01"}, ["Béal Developments"]),
        ({"client": "acme", "nca": "moor"}, ["ACME 50%_off"]),
        ({"limit": 1}, ["ACME 50%_off"]),
        (
            {"order_by": "client_name", "descending": False},
            ["ACME 50%_off", "Acme Homes", "Béal Developments"],
        ),
        (
            {"order_by": "created_at", "descending": False},
            ["Acme Homes", "Béal Developments", "ACME 50%_off"],
        ),
    ],
)
def test_search_filters(history: QuoteRepository, filters: dict, expected: list[str]) -> None:
    assert _found(history.search(**filters)) == expected


def test_search_accepts_date_objects(history: QuoteRepository) -> None:
    from datetime import date

    assert _found(history.search(date_from=date(2025, 2, 15))) == ["ACME 50%_off"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"date_from": "31/01/2025"}, "ISO date"),
        ({"order_by": "payload"}, "Cannot sort quotes by 'payload'"),
        ({"limit": 0}, "limit must be"),
    ],
)
def test_bad_search_arguments_say_what_is_expected(
    quotes: QuoteRepository, filters: dict, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        quotes.search(**filters)


def test_summary_fields_are_the_quote_columns() -> None:
    names = tuple(f.name for f in dataclasses.fields(QuoteSummary))
    assert names == (*SUMMARY_COLUMNS, "from_team")
