"""The draft each desktop user is working on, kept in the local store: one per
user, replaced on each keep, gone on discard, and read back as the same draft
(site, demand, options, metric, result, refusal, saved reference)."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.errors import InfeasibleQuote, UnmetLine, UnmetReason
from bng_desktop.core.model import Site
from bng_desktop.metric_import import import_metric
from bng_desktop.store import DraftRepository, Store
from bng_desktop.ui.quote_state import QuoteDraft
from bng_desktop.workspace import Workspace
from tests.metric.generated import Spec, generate

MODIFIED = "Grassland - Modified grassland"


def test_each_user_has_one_draft_replaced_on_each_keep(store: Store):
    drafts = DraftRepository(store)
    assert drafts.get("ana") is None
    drafts.keep("ana", {"n": 1})
    drafts.keep("ben", {"n": 2})
    first = drafts.get("ana")
    drafts.keep("ana", {"n": 3})
    again = drafts.get("ana")
    assert (again.payload, drafts.get("ben").payload) == ({"n": 3}, {"n": 2})
    assert again.kept_at >= first.kept_at and again.kept_at.tzinfo is not None
    drafts.discard("ana")
    assert drafts.get("ana") is None and drafts.get("ben") is not None


def test_a_kept_draft_outlives_the_store_it_was_kept_in(paths):
    with Workspace(paths) as first:
        first.keep_draft({"rows": [["Grassland", "1.2"]]})
    with Workspace(paths) as second:
        assert second.kept_draft().payload == {"rows": [["Grassland", "1.2"]]}
        second.discard_draft()
        assert second.kept_draft() is None


def test_a_draft_read_back_is_the_same_draft(paths, tmp_path):
    (generated,) = generate(tmp_path, [Spec("1.0.3", 2, ("--area-surpluses", "5"))]).values()
    with Workspace(paths) as workspace:
        snapshot = workspace.snapshot()
        draft = QuoteDraft(lpa="Winchester", nca="South Downs", client_name="Acme Homes")
        draft.located = Site(lpa="Winchester", nca="South Downs", lat=51.06, lon=-1.31)
        draft.take_metric(import_metric(generated.workbook), append=False)
        draft.add_row(MODIFIED, Fraction(6, 5))
        draft.choices.split_lines = True
        quoted = draft.inputs_payload()
        draft.set_result(workspace.quote(draft.request(snapshot)), quoted)
        draft.revision_of = "BNG-A-02025"
        back = QuoteDraft.from_payload(draft.to_payload())
    assert back.inputs() == draft.inputs()
    assert back.result == draft.result
    assert back.metric == draft.metric and back.located == draft.located
    assert (back.client_name, back.revision_of, back.choices) == (
        "Acme Homes",
        "BNG-A-02025",
        draft.choices,
    )
    assert back.state().current
    blank = back.add_row()
    assert back.state().current
    back.remove_row(blank.row_id)
    back.rows[-1].type_units("2")
    assert back.state().out_of_date
    back.restore_quoted_inputs()
    assert back.state().current


def test_a_refusal_is_kept_with_its_reasons():
    draft = QuoteDraft(lpa="Winchester")
    draft.add_row(MODIFIED, Fraction(900))
    short = UnmetLine(
        1,
        MODIFIED,
        UnmetReason.INSUFFICIENT_STOCK,
        "not enough stock",
        "ask",
        needed=Fraction(900),
        available=Fraction(7, 3),
    )
    refusal = InfeasibleQuote([short])
    draft.set_infeasible(refusal, draft.inputs_payload())
    back = QuoteDraft.from_payload(draft.to_payload())
    assert back.infeasible.lines == refusal.lines
    assert back.state().current
