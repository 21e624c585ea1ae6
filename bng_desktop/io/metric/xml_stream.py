"""One XML part of the package, parsed as a stream (expat) within the budget.

The part is unpacked and parsed 64 KB at a time and handed, element by
element, to a handler; nothing but what the handler keeps stays in memory,
so a part's size costs time (bounded by ``budget.py``), never memory. A
handler ends the reading early by raising ``StopReading`` (it has what it
needs), and a stream can be resumed (shared strings are read only as far as
a cell needs). A DTD (the door to entity bombs) is refused where it stands,
and whatever the unpacking or the parser raises on a broken part becomes a
"damaged" refusal naming the part.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Protocol
from xml.parsers import expat

from . import refusals
from .budget import ReadBudget

CHUNK_BYTES = 64 * 1024

UNPACKING_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
"""What zipfile raises on a damaged, encrypted or oddly compressed part."""


class StopReading(Exception):
    """Raised by a handler: everything it needs from the part has been read."""


class Handler(Protocol):
    """Receives a part's elements by their names as written ("c", or "x:c" under
    a prefix; see ``local_name``) and counts them in the budget."""

    def start(self, name: str, attributes: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None: ...

    def where(self) -> str:
        """What is being read, for a refusal ("the sheet 'Start' at cell D8")."""
        ...


def local_name(name: str) -> str:
    """'x:row' → 'row'. Namespaces are not resolved: the parts of transitional and
    strict Open XML differ only there, and no two names that matter clash."""
    return name.rpartition(":")[2]


class XmlStream:
    """A part being parsed; ``read_all`` or ``step`` feed it to the handler."""

    def __init__(self, archive: zipfile.ZipFile, part: str, handler: Handler, budget: ReadBudget):
        self.part = part
        self.done = False
        self._handler = handler
        self._budget = budget
        self._parser = _parser(handler, budget, part)
        with self._unpacking():
            self._source: IO[bytes] = archive.open(part)

    def read_all(self) -> None:
        """Feed the whole part, or until the handler raises StopReading."""
        while not self.done:
            self.step()

    def step(self) -> None:
        """Feed one chunk (the last one closes the stream)."""
        if self.done:
            return
        with self._unpacking():
            chunk = self._source.read(CHUNK_BYTES)
        try:
            self._parser.Parse(chunk, not chunk)
        except StopReading:
            chunk = b""
        except expat.ExpatError as exc:
            self.close()
            what = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise refusals.damaged(
                self._budget.file_name,
                f"its part {self.part} is not well-formed XML at line {exc.lineno}, column "
                f"{exc.offset}: {what}",
            ) from exc
        self._budget.check(self._handler.where())
        if not chunk:
            self.close()

    def close(self) -> None:
        self.done = True
        source = getattr(self, "_source", None)
        if source is not None:
            source.close()

    @contextmanager
    def _unpacking(self) -> Iterator[None]:
        """What zipfile raises on a damaged part becomes a "damaged" refusal naming it
        (the handlers' own errors are not caught here: they are not the file's)."""
        try:
            yield
        except UNPACKING_ERRORS as exc:
            self.done = True
            raise refusals.damaged(
                self._budget.file_name, f"its part {self.part} cannot be unpacked ({exc})"
            ) from exc


def read_part(archive: zipfile.ZipFile, part: str, handler: Handler, budget: ReadBudget) -> None:
    """Parse ``part`` to its end (or until the handler stops) into ``handler``."""
    stream = XmlStream(archive, part, handler, budget)
    try:
        stream.read_all()
    finally:
        stream.close()


def _parser(handler: Handler, budget: ReadBudget, part: str) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_dtd(*_: object) -> None:
        raise refusals.hostile(budget.file_name, f"its part {part} declares a DTD")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    return parser
