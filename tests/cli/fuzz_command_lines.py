"""Bad command lines fed to the real ``bng`` entry point, one subprocess each.

Unknown options, bad numbers (``1,5``, ``1e999999999``, ``nan``, ``-1``, 10,000
digits, a byte-order mark), missing files, folders given as files, binary and
BOM files, huge arguments, unusable data folders and export targets. Every run
must end in a result or a message, never a traceback or a hang, and a run that
did not succeed must leave the store exactly as it was.

    python -m tests.cli.fuzz_command_lines [--every N]   # the full run, counts by outcome

test_cli_fuzz.py runs a sample of the same cases.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.cli.commands import SAMPLE_DEMAND, SITE, bng, store_fingerprint

HEADER = "habitat_name,units_required\n"
HABITAT = "Grassland - Modified grassland"
BAD_NUMBERS = ("1,5", "1e999999999", "nan", "-1", "9" * 10_000, "\ufeff5", "", "inf", "1/0", "0x10")
HUGE = "x" * 100_000


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int | None
    traceback: bool
    store_changed: bool
    message_lines: int
    seconds: float

    @property
    def hung(self) -> bool:
        return self.code is None

    @property
    def problems(self) -> list[str]:
        found = []
        if self.hung:
            found.append("hung")
        if self.traceback:
            found.append("traceback")
        if self.code not in (0, None) and self.store_changed:
            found.append("store changed by a refusal")
        if self.code not in (0, None) and self.message_lines == 0:
            found.append("refused without a message")
        return found


def files(folder: Path) -> dict[str, Path]:
    """The input files the cases point at, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "missing": folder / "no-such-file.csv",
        "folder": folder / "a-folder.csv",
        "empty": folder / "empty.csv",
        "binary": folder / "binary.csv",
        "bom": folder / "bom.csv",
        "nul": folder / "nul.csv",
        "latin1": folder / "latin1.csv",
        "xlsx-not-zip": folder / "fake.xlsx",
        "xlsm-not-zip": folder / "fake.xlsm",
        "json-not-object": folder / "list.json",
        "json-bad": folder / "bad.json",
        "json-huge-number": folder / "huge.json",
        "a-file": folder / "a-file",
    }
    made["folder"].mkdir(exist_ok=True)
    made["empty"].write_text("")
    made["binary"].write_bytes(bytes(range(256)) * 40)
    made["bom"].write_text("\ufeff" + HEADER + f"{HABITAT},1\n", encoding="utf-8")
    made["nul"].write_bytes(HEADER.encode() + b"Grass\x00land,1\n")
    made["latin1"].write_bytes(HEADER.encode() + "Prairie fran\xe7aise,1\n".encode("latin-1"))
    made["xlsx-not-zip"].write_text("not a workbook")
    made["xlsm-not-zip"].write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    made["json-not-object"].write_text("[1, 2]")
    made["json-bad"].write_text('{"split_lines": tru')
    made["json-huge-number"].write_text('{"admin_fee": 1e999999999}')
    made["a-file"].write_text("")
    for index, value in enumerate(BAD_NUMBERS):
        made[f"demand-{index}"] = folder / f"demand-{index}.csv"
        made[f"demand-{index}"].write_text(HEADER + f'{HABITAT},"{value}"\n', encoding="utf-8")
    made["demand-bom-header"] = folder / "demand-bom-header.csv"
    made["demand-bom-header"].write_text("\ufeff\ufeff" + HEADER + f"{HABITAT},1\n")
    made["demand-unknown-habitat"] = folder / "demand-unknown.csv"
    made["demand-unknown-habitat"].write_text(HEADER + "Lunar regolith,1\n")
    made["demand-wide"] = folder / "demand-wide.csv"
    made["demand-wide"].write_text(HEADER + f"{HABITAT},1,5\n")
    made["demand-huge-line"] = folder / "demand-huge-line.csv"
    made["demand-huge-line"].write_text(HEADER + HUGE + ",1\n")
    return made


def cases(folder: Path) -> list[Case]:
    f = files(folder)
    out = folder / "out"
    out.mkdir(exist_ok=True)
    quote = ("quote", "--demand", str(SAMPLE_DEMAND), *SITE)
    found: list[Case] = []

    def add(name: str, *argv: str) -> None:
        found.append(Case(name, argv))

    for command in (
        ("quote",),
        ("reference", "list"),
        ("history", "list"),
        ("history", "show", "X"),
        ("metric", "read", "x.xlsx"),
        ("locate", "--postcode", "SO23 9LJ"),
        ("doctor",),
        ("sync", "--status"),
        ("central", "status"),
    ):
        add(f"unknown option after {' '.join(command)}", *command, "--bogus")
        add(f"misspelt --quiet after {' '.join(command)}", *command, "--quite")
    for name, argv in (
        ("no command", ()),
        ("unknown command", ("quotes",)),
        ("unknown action", ("history", "lst")),
        ("no action", ("reference",)),
        ("option without its value", ("quote", "--demand")),
        ("both sources", ("quote", "--demand", "a.csv", "--metric", "b.xlsx")),
        ("no source", ("quote", "--lpa", "Winchester")),
        ("unknown solver", (*quote, "--solver", "gurobi")),
        ("show without reference", ("history", "show")),
        ("team and mine", ("history", "list", "--team", "--mine")),
        ("locate without what", ("locate",)),
        ("two locate kinds", ("locate", "--postcode", "A", "--address", "B")),
        ("delete without --yes", ("history", "delete", "BNG-A-02025")),
        ("requote unknown", ("history", "requote", "BNG-Z-99999", "--save")),
        ("export unknown", ("history", "export", "BNG-Z-99999", str(out / "q.xlsx"))),
        ("show unknown", ("history", "show", "NOPE", "--json", "-")),
        ("publish with nothing", ("central", "publish")),
        ("help of a command", ("quote", "--help")),
        ("version", ("--version",)),
    ):
        add(name, *argv)
    for value in BAD_NUMBERS:
        add(f"--limit {value[:12]!r}", "history", "list", "--limit", value)
        add(
            f"--version {value[:12]!r}",
            "reference",
            "export",
            str(out / "r.xlsx"),
            "--version",
            value,
        )
        add(
            f"locate-banks --version {value[:12]!r}",
            "reference",
            "locate-banks",
            "--version",
            value,
        )
        add(f"--point lat {value[:12]!r}", "locate", "--point", f"{value},0", "--offline")
        add(f"--point lon {value[:12]!r}", "locate", "--point", f"51,{value}", "--offline")
    for date in ("2025-13-45", "yesterday", "31/01/2025", ""):
        add(f"--from {date!r}", "history", "list", "--from", date)
    for kind in ("missing", "folder", "empty", "binary", "bom", "nul", "latin1", "xlsx-not-zip"):
        add(f"--demand {kind}", "quote", "--demand", str(f[kind]), *SITE)
        add(f"reference import {kind}", "reference", "import", str(f[kind]))
    for kind in ("missing", "folder", "xlsx-not-zip", "xlsm-not-zip", "binary"):
        add(f"--metric {kind}", "quote", "--metric", str(f[kind]), *SITE)
        add(f"metric read {kind}", "metric", "read", str(f[kind]), "--json", "-")
    for kind in ("missing", "folder", "json-not-object", "json-bad", "json-huge-number", "bom"):
        add(f"--policy {kind}", *quote, "--policy", str(f[kind]))
    for key in f:
        if key.startswith("demand-"):
            add(f"demand file {key}", "quote", "--demand", str(f[key]), *SITE, "--save")
    for name, target in (
        ("missing folder", out / "missing" / "q.xlsx"),
        ("a folder", f["folder"]),
        ("under a file", f["a-file"] / "q.xlsx"),
        ("wrong extension", out / "q.xls"),
    ):
        add(f"--xlsx {name} with --save", *quote, "--save", "--xlsx", str(target))
        add(f"--json {name} with --save", *quote, "--save", "--json", str(target))
        add(f"reference export to {name}", "reference", "export", str(target))
        add(f"metric --csv to {name}", "metric", "read", str(f["missing"]), "--csv", str(target))
    for name, value in (
        ("empty", ""),
        ("a file", str(f["a-file"])),
        ("under a file", str(f["a-file"] / "data")),
        ("read-only place", "/sys/bng-fuzz"),
        ("cannot be created", "/proc/bng-fuzz/data"),
        ("unknown user", "~no-such-user-bng/data"),
        ("huge", "/tmp/" + "d" * 5000),
    ):
        add(f"--data-dir {name} after", *quote, "--save", "--data-dir", value)
        add(f"--data-dir {name} before", "--data-dir", value, "history", "list")
    for name, argv in (
        ("huge --lpa", ("quote", "--demand", str(SAMPLE_DEMAND), "--lpa", HUGE)),
        ("huge --client with --save", (*quote, "--client", HUGE, "--json", "-")),
        ("huge reference", ("history", "show", HUGE)),
        ("huge postcode offline", ("locate", "--postcode", HUGE, "--offline")),
        ("huge unknown option", ("quote", "--" + HUGE)),
        ("huge neighbours", (*quote, "--lpa-neighbours", ";".join(["A"] * 20_000))),
        (
            "control characters in --lpa",
            ("quote", "--demand", str(SAMPLE_DEMAND), "--lpa", "\x1b[31m\x07"),
        ),
        ("right-to-left --client", (*quote, "--client", "\u202eevil\u202c")),
        ("BOM in --lpa", ("quote", "--demand", str(SAMPLE_DEMAND), "--lpa", "\ufeffWinchester")),
        ("BOM option name", ("quote", "\ufeff--demand", str(SAMPLE_DEMAND))),
        ("unknown lpa", ("quote", "--demand", str(SAMPLE_DEMAND), "--lpa", "Atlantis")),
        ("unknown postcode offline", ("locate", "--postcode", "ZZ99 9ZZ", "--offline")),
        ("url not a url", ("central", "status", "--url", "not a url")),
        ("sync to nowhere", ("sync", "--url", "postgresql://bng@127.0.0.1:1/bng")),
    ):
        add(name, *argv)
    return found


def run_case(case: Case, data_dir: Path) -> Outcome:
    before = store_fingerprint(data_dir)
    argv = case.argv
    if "--data-dir" not in argv:
        argv = (*argv, "--data-dir", str(data_dir))
    try:
        done = bng(*argv)
    except subprocess.TimeoutExpired:
        return Outcome(case, None, False, store_fingerprint(data_dir) != before, 0, float("inf"))
    return Outcome(
        case,
        done.code,
        done.traceback,
        store_fingerprint(data_dir) != before,
        len([line for line in done.err.splitlines() if line.startswith("bng")]),
        done.seconds,
    )


def prepared_data_dir(folder: Path) -> Path:
    """A store with the sample reference data and one saved quote."""
    data = folder / "data"
    done = bng(
        "quote", "--demand", str(SAMPLE_DEMAND), *SITE, "--save", "--quiet", "--data-dir", str(data)
    )
    if done.code != 0:
        raise RuntimeError(done.err)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="run every Nth case only")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bng-cli-fuzz-") as temp:
        folder = Path(temp)
        data = prepared_data_dir(folder)
        selected = cases(folder / "inputs")[:: options.every]
        outcomes = []
        for case in selected:
            outcome = run_case(case, data)
            outcomes.append(outcome)
            print(f"{outcome.code!s:>4} {outcome.seconds:6.2f}s {case.name}", file=sys.stderr)
    by_code = Counter(o.code for o in outcomes)
    problems = [(o.case.name, p) for o in outcomes for p in o.problems]
    print(f"command lines: {len(outcomes)}")
    for code, number in sorted(by_code.items(), key=lambda item: str(item[0])):
        print(f"  exit {code}: {number}")
    print(f"tracebacks: {sum(o.traceback for o in outcomes)}")
    print(f"hangs: {sum(o.hung for o in outcomes)}")
    changed = sum(o.code not in (0, None) and o.store_changed for o in outcomes)
    print(f"store changed by a refusal: {changed}")
    print(f"slowest: {max(o.seconds for o in outcomes):.2f} s")
    for name, problem in problems:
        print(f"  PROBLEM {problem}: {name}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
