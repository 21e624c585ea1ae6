"""The reference scheme, decided without a database: confirm, renumber, follow the base."""

from __future__ import annotations

from bng_desktop.sync.numbering import Claim, Ledger, Stored, number_of, place


def claim(uuid: str, reference: str, base_uuid: str | None = None, max_revision: int = 0):
    base, _, revision = reference.partition(".")
    return Claim(uuid, reference, base, int(revision or 0), base_uuid, max_revision)


def stored(uuid: str, reference: str) -> Stored:
    base, _, revision = reference.partition(".")
    return Stored(uuid, reference, base, int(revision or 0))


def refs(placements) -> list[str]:
    return [p.reference for p in placements]


def test_a_free_reference_is_confirmed_as_it_is():
    placed, counter = place([claim("u1", "BNG-A-02025")], Ledger(2024), floor=2025)
    assert refs(placed) == ["BNG-A-02025"] and not placed[0].renumbered
    assert counter == 2025


def test_a_taken_reference_goes_above_the_counter_and_the_desktops_own_numbers():
    ledger = Ledger.of(2030, [stored("theirs", "BNG-A-02025")])
    placed, counter = place([claim("mine", "BNG-A-02025")], ledger, floor=2040)
    assert refs(placed) == ["BNG-A-02041"] and placed[0].renumbered
    assert placed[0].provisional == "BNG-A-02025"
    assert counter == 2041


def test_a_quote_already_central_keeps_its_reference_when_sent_again():
    ledger = Ledger.of(2050, [stored("mine", "BNG-A-02047")])
    placed, counter = place([claim("mine", "BNG-A-02031")], ledger, floor=2031)
    assert refs(placed) == ["BNG-A-02047"] and counter == 2050


def test_a_confirmed_number_is_never_handed_out_again_in_the_same_batch():
    ledger = Ledger.of(2024, [stored("theirs", "BNG-A-02025")])
    claims = [claim("m1", "BNG-A-02025"), claim("m2", "BNG-A-02026")]
    placed, counter = place(claims, ledger, floor=0)
    assert refs(placed) == ["BNG-A-02026", "BNG-A-02027"]
    assert counter == 2027


def test_revisions_follow_a_renumbered_base_in_the_same_batch():
    ledger = Ledger.of(2025, [stored("theirs", "BNG-A-02025")])
    claims = [
        claim("base", "BNG-A-02025"),
        claim("rev1", "BNG-A-02025.1", base_uuid="base", max_revision=2),
        claim("rev2", "BNG-A-02025.2", base_uuid="base", max_revision=2),
    ]
    placed, _ = place(claims, ledger, floor=2025)
    assert refs(placed) == ["BNG-A-02026", "BNG-A-02026.1", "BNG-A-02026.2"]


def test_a_revision_finds_its_base_by_uuid_after_the_base_was_renumbered_earlier():
    ledger = Ledger.of(2047, [stored("theirs", "BNG-A-02031"), stored("base", "BNG-A-02047")])
    placed, _ = place([claim("rev", "BNG-A-02031.1", base_uuid="base")], ledger, floor=2031)
    assert refs(placed) == ["BNG-A-02047.1"]


def test_a_revision_number_a_colleague_took_moves_above_every_known_revision():
    held = [stored("base", "BNG-A-02025"), stored("c1", "BNG-A-02025.1")]
    ledger = Ledger.of(2025, [*held, stored("c2", "BNG-A-02025.2")])
    claims = [
        claim("m1", "BNG-A-02025.1", base_uuid="base", max_revision=3),
        claim("m2", "BNG-A-02025.2", base_uuid="base", max_revision=3),
        claim("m3", "BNG-A-02025.3", base_uuid="base", max_revision=3),
    ]
    placed, _ = place(claims, ledger, floor=2025)
    assert refs(placed) == ["BNG-A-02025.4", "BNG-A-02025.5", "BNG-A-02025.3"]


def test_number_of_reads_the_base_number():
    assert number_of("BNG-A-02031.2") == 2031
    assert number_of("something else") == 0
