"""The workbook's table of contents: its sheets in order, the part holding
each, and the shared-strings part (Office Open XML packaging: the workbook
part named by ``_rels/.rels``, its sheets in ``workbook.xml``, their parts
through ``workbook.xml.rels``).

Namespaces are not looked at, so transitional and strict Open XML read alike;
part names compare without case, as Excel and LibreOffice treat them; a
relationship pointing outside the package (an external link) is ignored.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from . import refusals
from .budget import ReadBudget
from .xml_stream import local_name, read_part

PACKAGE_RELATIONSHIPS = "_rels/.rels"
DEFAULT_WORKBOOK_PART = "xl/workbook.xml"
OFFICE_DOCUMENT = "/officeDocument"
WORKSHEET = "/worksheet"
SHARED_STRINGS = "/sharedStrings"


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it; ``part`` is None when it is not a worksheet
    (a chart sheet) or its relationship leads nowhere in the package."""

    title: str
    part: str | None


@dataclass(frozen=True)
class WorkbookIndex:
    sheets: tuple[SheetEntry, ...]
    shared_strings: str | None


@dataclass(frozen=True)
class _Relationship:
    type: str
    target: str | None
    """The part name in the package (None: external, or not in the package)."""


def read_index(archive: zipfile.ZipFile, budget: ReadBudget) -> WorkbookIndex:
    names = {info.filename.casefold(): info.filename for info in archive.infolist()}
    package = _relationships(archive, names, "", budget)
    workbook = next(
        (r.target for r in package.values() if r.type.endswith(OFFICE_DOCUMENT) and r.target),
        names.get(DEFAULT_WORKBOOK_PART),
    )
    if workbook is None:
        raise refusals.not_a_metric(budget.file_name, "its package has no workbook part")
    listed = _SheetList(budget)
    read_part(archive, workbook, listed, budget)
    related = _relationships(archive, names, workbook, budget)
    sheets = []
    for title, rid in listed.sheets:
        found = related.get(rid)
        worksheet = found is not None and found.type.endswith(WORKSHEET)
        sheets.append(SheetEntry(title, found.target if worksheet and found else None))
    strings = next(
        (r.target for r in related.values() if r.type.endswith(SHARED_STRINGS) and r.target),
        None,
    )
    return WorkbookIndex(tuple(sheets), strings)


def _relationships(
    archive: zipfile.ZipFile, names: dict[str, str], source: str, budget: ReadBudget
) -> dict[str, _Relationship]:
    """The relationships of ``source`` ("" for the package), targets resolved."""
    folder, base = posixpath.split(source)
    rels = names.get(posixpath.join(folder, "_rels", f"{base}.rels").casefold())
    if rels is None:
        return {}
    handler = _RelationshipList(budget)
    read_part(archive, rels, handler, budget)
    found = {}
    for rid, kind, target, mode in handler.relationships:
        inside = mode.casefold() != "external"
        found[rid] = _Relationship(kind, _resolve(names, folder, target) if inside else None)
    return found


def _resolve(names: dict[str, str], folder: str, target: str) -> str | None:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return names.get(posixpath.normpath(path).casefold())


class _Counting:
    """Counts every element in the budget; subclasses keep what they need."""

    def __init__(self, budget: ReadBudget, what: str):
        self.budget = budget
        self.what = what

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.budget.elements += 1
        self.element(local_name(name), attributes)

    def element(self, name: str, attributes: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        return None

    def text(self, data: str) -> None:
        return None

    def where(self) -> str:
        return self.what


class _SheetList(_Counting):
    def __init__(self, budget: ReadBudget):
        super().__init__(budget, "the workbook's list of sheets")
        self.sheets: list[tuple[str, str]] = []

    def element(self, name: str, attributes: dict[str, str]) -> None:
        if name != "sheet":
            return
        rid = next((v for k, v in attributes.items() if k.endswith(":id")), "")
        self.sheets.append((attributes.get("name", ""), rid))


class _RelationshipList(_Counting):
    def __init__(self, budget: ReadBudget):
        super().__init__(budget, "the package's relationships")
        self.relationships: list[tuple[str, str, str, str]] = []

    def element(self, name: str, attributes: dict[str, str]) -> None:
        if name == "Relationship":
            self.relationships.append(
                (
                    attributes.get("Id", ""),
                    attributes.get("Type", ""),
                    attributes.get("Target", ""),
                    attributes.get("TargetMode", ""),
                )
            )
