"""Fuzzing the product's file inputs: reference workbooks and demand CSVs.

Reference workbooks come from the shared generator (``gen_reference.py``), as
generated and as the product exports them (with Policy and neighbour sheets),
then mutated at the zip/XML level (``tests.metric.mutate``): truncated
archives, flipped bytes, broken XML, entity and zip bombs, numbers no one can
read (a decimal comma, ``1e999999999``, 5,000 digits, ``1/0`` in Policy, a
formula without a value), wrong words, deleted and renamed sheets, cells far
right and down, names that look like formulas. Demand CSVs are written bad:
the same numbers, wrong encodings, NUL bytes, ragged rows, huge fields.

Every file must end in an import (or a read demand) or in the product's own
refusal naming the file; never in a traceback, never past the time bound; the
store is compared before and after every refusal. ``run_reference`` and
``run_demand`` are used by the small sample in the test suite and by the
heavy run in ``benchmarks/fuzz_inputs.py``.
"""

from __future__ import annotations

import dataclasses
import random
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from bng_desktop.core.demand import resolve_demand
from bng_desktop.core.errors import BngError, DemandError, ReferenceDataError
from bng_desktop.io.demand_csv import read_demand_csv
from bng_desktop.io.reference_workbook import read_reference_workbook, write_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.workspace import Workspace
from tests.alarm import raised_after
from tests.metric import mutate
from tests.metric.mutate import flipped_bytes, truncated
from tests.shared_data import generate_reference

SECONDS_PER_FILE = 30.0
"""Wall time before a file counts as a hang (the machine is shared)."""
NUMBER_SHEETS = {
    "Stock": ("D", "E", "F"),
    "Pricing": ("E",),
    "SRM": ("B",),
    "DistinctivenessLevels": ("B",),
    "Banks": ("G", "H"),
}
TEXT_SHEETS = {
    "Banks": ("A", "B", "C"),
    "Pricing": ("A", "B", "C", "D"),
    "HabitatCatalog": ("A", "B", "C", "D"),
    "Stock": ("A", "B", "C"),
    "SRM": ("A",),
    "TradingRules": ("A", "B", "C"),
}
BAD_NUMBERS = [
    "1,5", "1e999999999", "nan", "-1", "9" * 5_000, "9" * 10_000, "\ufeff2.5", "1e400",
    "12,345.6", "inf", "1/0", "2/3", "£12", "1 000", "0x10", "", " ", "1e-999999999",
]  # fmt: skip
RAW_NUMBERS = ["9" * 5_000, "1e999999999", "1e400", "-1e400", "nan", "1,5", "", "1.2.3", "--1"]
WRONG_WORDS = [
    "=HYPERLINK(\"http://x\",\"y\")", "+1", "-x", "@SUM(A1)", "nearby", "Superb", "#REF!",
    "Grassland – Modified grassland", "Net Gain (area)", "x" * 40_000, "\u202e", True, 0,
]  # fmt: skip
POLICY_VALUES = ["1/0", "=1/0", "1e999999999", "9" * 5_000, "1,5", "nan", "-1", "maybe", "2/3"]
POLICY_KEYS = ["tolerance_abs", "bank_cap_small", "fractional_below", "suo_cap", "split_lines"]
SHEETS = ("Banks", "Pricing", "HabitatCatalog", "Stock", "DistinctivenessLevels", "SRM")


class Hang(BaseException):
    """Raised by the alarm: a BaseException so no ``except Exception`` swallows it."""


def bounded(seconds: float):
    """The block stopped with Hang after ``seconds`` of wall time."""
    return raised_after(seconds, Hang(f"no answer within {seconds} s"))


@dataclass
class Tally:
    """What a run met: outcomes, by mutation, failures in full, the slowest file."""

    outcomes: Counter = field(default_factory=Counter)
    by_family: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")

    def record(self, what: str, families: list[str], attempt: Callable[[], str]) -> str:
        started = time.perf_counter()
        try:
            with bounded(SECONDS_PER_FILE):
                result = attempt()
        except Hang:
            result = "HANG"
            self.failures.append(f"{what}: hang")
        except AssertionError as failed:
            result = "WRONG"
            self.failures.append(f"{what}: {failed}")
        except Exception:
            result = "TRACEBACK"
            self.failures.append(f"{what}:\n{traceback.format_exc()}")
        self.slowest = max(self.slowest, (time.perf_counter() - started, what))
        self.outcomes[result] += 1
        self.by_family.update((family, result) for family in families)
        return result

    def summary(self, title: str) -> str:
        outcomes = dict(sorted(self.outcomes.items()))
        lines = [
            f"{title}: {sum(self.outcomes.values())} files — {outcomes}; "
            f"slowest {self.slowest[0]:.2f} s ({self.slowest[1]})"
        ]
        for family in sorted({f for f, _ in self.by_family}):
            found = {o: n for (f, o), n in self.by_family.items() if f == family}
            lines.append(f"  {family}: {dict(sorted(found.items()))}")
        return "\n".join(lines + self.failures[:20])


# ---------------------------------------------------------------- reference workbooks


def reference_bases(folder: Path, seeds: range) -> list[bytes]:
    """Generated workbooks, as generated and as the product exports them."""
    facts = load_statutory_facts()
    bases = []
    for seed in seeds:
        workbook, _, _ = generate_reference(folder, 3 + seed % 4, seed, 0, "--trading-rules")
        bases.append(workbook.read_bytes())
        data = read_reference_workbook(workbook, facts)
        data = dataclasses.replace(data, policy=(("split_lines", "false"), ("tolerance_abs", "10")))
        exported = write_reference_workbook(data, folder / f"exported-{seed}.xlsx")
        bases.append(exported.read_bytes())
    return bases


def _ref(rng: random.Random, columns: tuple[str, ...], low: int = 2, high: int = 12) -> str:
    return f"{rng.choice(columns)}{rng.randint(low, high)}"


def bad_number_text(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(list(NUMBER_SHEETS))
    return mutate.set_cell(data, sheet, _ref(rng, NUMBER_SHEETS[sheet]), rng.choice(BAD_NUMBERS))


def bad_number_cell(data: bytes, rng: random.Random) -> bytes:
    """The digits of a number cell no reader can hold (5,000 digits, 1e999999999)."""
    sheet = rng.choice(list(NUMBER_SHEETS))
    ref = _ref(rng, NUMBER_SHEETS[sheet])
    raw = f'<c r="{ref}" t="n"><v>{escape(rng.choice(RAW_NUMBERS))}</v></c>'
    return mutate.edit_sheet(
        data, sheet, lambda xml: mutate.put_cell(xml, ref, 0).replace(mutate.cell_xml(ref, 0), raw)
    )


def wrong_word(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(list(TEXT_SHEETS))
    return mutate.set_cell(data, sheet, _ref(rng, TEXT_SHEETS[sheet]), rng.choice(WRONG_WORDS))


def policy_value(data: bytes, rng: random.Random) -> bytes:
    """A Policy row no one can read (only the exported bases have the sheet)."""
    if "Policy" not in _sheet_names(data):
        return bad_number_text(data, rng)
    row = rng.randint(2, 4)
    data = mutate.set_cell(data, "Policy", f"A{row}", rng.choice(POLICY_KEYS))
    return mutate.set_cell(data, "Policy", f"B{row}", rng.choice(POLICY_VALUES))


def broken_xml(data: bytes, rng: random.Random) -> bytes:
    def cut(xml: str) -> str:
        at = rng.randrange(len(xml))
        return xml[:at] + rng.choice(["<", "</row>", "&", '"', "", "<c>"]) + xml[at + 3 :]

    return mutate.edit_sheet(data, rng.choice(SHEETS), cut)


def entity_bomb(data: bytes, rng: random.Random) -> bytes:
    """Entities declared (harmless unless used), or used to expand to gigabytes."""
    if rng.random() < 0.5:
        dtd = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return mutate.edit_sheet(data, rng.choice(SHEETS), lambda xml: dtd + xml)
    entities = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )

    def bomb(xml: str) -> str:
        xml = xml.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
        cell = '<row r="99"><c r="A99" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        return xml.replace("</sheetData>", f"{cell}</sheetData>")

    return mutate.edit_sheet(data, rng.choice(SHEETS), bomb)


def zip_bomb(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return mutate.add_part(data, "xl/media/image1.png", mutate.zeros_part(rng.choice([2, 8])))
    part = rng.choice(list(mutate.parts(data)))
    return mutate.declare_size(data, part, rng.choice([2**31, 700 * 2**20, 1, 0]))


def deleted_sheet(data: bytes, rng: random.Random) -> bytes:
    return mutate.delete_sheet(data, rng.choice(SHEETS))


def renamed_sheet(data: bytes, rng: random.Random) -> bytes:
    old = rng.choice(SHEETS)
    return mutate.rename_sheet(data, old, rng.choice([old.upper(), f" {old} ", old + "s", "X"]))


def far_cells(data: bytes, rng: random.Random) -> bytes:
    """What formatting and stray typing leave far right and down."""
    sheet = rng.choice(SHEETS)

    def spread(xml: str) -> str:
        for _ in range(rng.randint(1, 4)):
            ref = f"{rng.choice(['XFD', 'GS', 'Z', 'J'])}{rng.choice([1, 2, 5, 2_000, 1_048_576])}"
            xml = mutate.put_cell(xml, ref, rng.choice([None, "junk", 99.5]))
        return xml

    return mutate.edit_sheet(data, sheet, spread)


def huge_dimension(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice(["A1:XFD1048576", "A1:H5000000", "A1:XFD2"])
    sheet = rng.choice(SHEETS)

    def declare(xml: str) -> str:
        if "<dimension" in xml:
            return mutate.set_dimension(xml, ref)
        return xml.replace("<sheetViews", f'<dimension ref="{ref}"/><sheetViews', 1)

    return mutate.edit_sheet(data, sheet, declare)


def missing_part(data: bytes, rng: random.Random) -> bytes:
    contents = mutate.parts(data)
    name = rng.choice([n for n in contents if n.endswith(".xml")])
    del contents[name]
    return mutate.package(contents)


def blanked_cells(data: bytes, rng: random.Random) -> bytes:
    sheet = rng.choice(SHEETS)
    for _ in range(rng.randint(1, 5)):
        data = mutate.set_cell(data, sheet, _ref(rng, ("A", "B", "C", "D", "E"), 1), None)
    return data


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncated": truncated,
    "flipped-bytes": flipped_bytes,
    "bad-number-text": bad_number_text,
    "bad-number-cell": bad_number_cell,
    "wrong-word": wrong_word,
    "policy-value": policy_value,
    "broken-xml": broken_xml,
    "entity-bomb": entity_bomb,
    "zip-bomb": zip_bomb,
    "deleted-sheet": deleted_sheet,
    "renamed-sheet": renamed_sheet,
    "far-cells": far_cells,
    "huge-dimension": huge_dimension,
    "missing-part": missing_part,
    "blanked-cells": blanked_cells,
}
WEIGHTS = {name: 1.0 for name in MUTATIONS} | {"bad-number-cell": 2.0, "policy-value": 2.0}


def _sheet_names(data: bytes) -> set[str]:
    return {
        name for name, _ in mutate.SHEET.findall(mutate.parts(data)["xl/workbook.xml"].decode())
    }


def mutated(base: bytes, rng: random.Random) -> tuple[list[str], bytes]:
    names = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=rng.choice([1, 1, 2]))
    data = base
    for name in names:
        try:
            data = MUTATIONS[name](data, rng)
        except Exception:  # an earlier mutation left nothing for this one to edit
            data = truncated(data, rng)
    return names, data


def store_state(workspace: Workspace) -> tuple:
    return tuple(
        (v.version_id, v.content_hash, v.is_current) for v in workspace.references.list_versions()
    )


def reference_outcome(workspace: Workspace, path: Path) -> str:
    """'imported' or 'refused'; an AssertionError when the refusal is not clean."""
    before = store_state(workspace)
    try:
        workspace.import_reference(path)
    except ReferenceDataError as refused:
        assert str(refused).startswith(path.name), f"the message does not name the file: {refused}"
        assert "Traceback" not in str(refused)
        assert store_state(workspace) == before, "the store changed on a refusal"
        return "refused"
    except BngError as other:
        raise AssertionError(f"refused as {type(other).__name__}: {other}") from None
    return "imported"


def run_reference(
    workspace: Workspace, bases: list[bytes], count: int, seed: int, folder: Path
) -> Tally:
    tally = Tally()
    rng = random.Random(seed)
    for number in range(count):
        names, data = mutated(rng.choice(bases), rng)
        path = folder / f"reference-{number}.xlsx"
        path.write_bytes(data)
        tally.record(
            f"reference file {number} ({'+'.join(names)})",
            names,
            lambda path=path: reference_outcome(workspace, path),
        )
        path.unlink()
    return tally


# ---------------------------------------------------------------- demand CSVs

HABITATS = ["Grassland - Modified grassland", "Native hedgerow", "Ditches", "Net Gain (area)"]


def demand_cases(rng: random.Random) -> tuple[str, bytes]:
    """One bad (or awkward) demand file: its family and its bytes."""
    family = rng.choice(list(DEMAND_FAMILIES))
    return family, DEMAND_FAMILIES[family](rng)


def _lines(rng: random.Random, units: str | None = None, name: str | None = None) -> list[str]:
    rows = [f"{rng.choice(HABITATS)},{rng.choice(['1', '2.5', '0.25'])}" for _ in range(3)]
    rows.insert(rng.randrange(4), f'"{name or rng.choice(HABITATS)}","{units or "1"}"')
    return ["habitat_name,units_required", *rows]


def _text(lines: list[str], rng: random.Random) -> bytes:
    return (rng.choice(["\n", "\r\n"]).join(lines) + "\n").encode()


DEMAND_FAMILIES: dict[str, Callable[[random.Random], bytes]] = {
    "bad-number": lambda rng: _text(_lines(rng, rng.choice(BAD_NUMBERS).replace('"', "")), rng),
    "wrong-name": lambda rng: _text(
        _lines(rng, name=str(rng.choice(WRONG_WORDS)).replace('"', "")), rng
    ),
    "unquoted-comma": lambda rng: _text(["habitat_name,units_required", "Ditches,1,5"], rng),
    "byte-order-mark": lambda rng: b"\xef\xbb\xbf" + _text(_lines(rng), rng),
    "bom-in-a-number": lambda rng: _text(_lines(rng, "\ufeff1.5"), rng),
    "latin-1": lambda rng: "habitat_name,units_required\nPré,1\n".encode("latin-1"),
    "utf-16": lambda rng: "habitat_name,units_required\nDitches,1\n".encode("utf-16"),
    "nul-bytes": lambda rng: _text(_lines(rng), rng).replace(b",", b"\0,", 1),
    "no-header": lambda rng: _text(_lines(rng)[1:], rng),
    "empty": lambda rng: rng.choice([b"", b"\n\n", b"habitat_name,units_required\n"]),
    "semicolons": lambda rng: b"habitat_name;units_required\nDitches;1,5\n",
    "huge-field": lambda rng: _text(_lines(rng, "1" * rng.choice([200_000, 50_000])), rng),
    "unclosed-quote": lambda rng: b'habitat_name,units_required\n"Ditches,1\nNative hedgerow,2\n',
    "many-lines": lambda rng: _text(["habitat_name,units_required"] + ["Ditches,1"] * 10_001, rng),
    "binary": lambda rng: bytes(rng.randrange(256) for _ in range(rng.randint(1, 4_000))),
    "good": lambda rng: _text(_lines(rng), rng),
}


def demand_outcome(path: Path, snapshot, workspace: Workspace) -> str:
    before = store_state(workspace)
    try:
        lines = read_demand_csv(path)
        resolve_demand(lines, snapshot, source=path.name)
    except DemandError as refused:
        assert path.name in str(refused) or refused.problems, f"the file is not named: {refused}"
        assert len(str(refused)) < 20_000, "the message is not bounded"
        assert store_state(workspace) == before, "the store changed on a refusal"
        return "refused"
    except BngError as other:
        raise AssertionError(f"refused as {type(other).__name__}: {other}") from None
    return "read"


def run_demand(workspace: Workspace, count: int, seed: int, folder: Path) -> Tally:
    tally = Tally()
    rng = random.Random(seed)
    snapshot = workspace.snapshot()
    for number in range(count):
        family, data = demand_cases(rng)
        path = folder / f"demand-{number}.csv"
        path.write_bytes(data)
        tally.record(
            f"demand file {number} ({family})",
            [family],
            lambda path=path: demand_outcome(path, snapshot, workspace),
        )
        path.unlink()
    return tally
