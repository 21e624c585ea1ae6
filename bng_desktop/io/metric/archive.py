"""The metric file as bytes, checked before any spreadsheet parser sees it.

A hostile or broken file is refused here, within bounded time and memory:
the file size, the zip's central directory (its size and entry count, read
from the end record before the directory is parsed), each part's and the
total declared uncompressed size and compression ratio (a zip bomb), and
DTDs (entity bombs). Python's zipfile never inflates a part beyond its
declared size, so the declared sizes bound the bytes everything that follows
can unpack; what is parsed of them is bounded by ``budget.py``. A sheet's
declared ``<dimension>`` is not looked at: real workbooks declare whole rows
and columns. The format is sniffed from the content, not the file name:
encrypted workbooks and .xls are OLE compound files, .xlsb a zip with a
binary workbook part.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import refusals

MAX_FILE_BYTES = 64 * 2**20
MAX_ENTRIES = 5_000
MAX_PART_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
MAX_RATIO = 200
RATIO_FLOOR = 2**20
"""Parts larger than this (uncompressed) may not compress better than MAX_RATIO:1."""
MAX_DIRECTORY_BYTES = 2**20
"""The zip's central directory (a real metric's is about 10 KB)."""
HEAD_BYTES = 4096

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_PART = "xl/workbook.xml"
BINARY_WORKBOOK_PART = "xl/workbook.bin"
END_RECORD = b"PK\x05\x06"
END_RECORD_BYTES = 22
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_END_RECORD = b"PK\x06\x06"
ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]{0,200})</")


@dataclass(frozen=True)
class MetricFile:
    """A workbook's bytes that passed the checks, and who they say saved them."""

    name: str
    data: bytes
    sha256: str
    saved_by: str


def load_metric_file(path: str | Path) -> MetricFile:
    """Read and check the file at ``path`` (its size is checked before reading)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refusals.hostile(path.name, f"it is {size / 2**20:.0f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise refusals.unreadable(path.name, exc.strerror or str(exc)) from exc
    return check_package(path.name, data)


def check_package(name: str, data: bytes) -> MetricFile:
    """Refuse what is not a safe .xlsx/.xlsm package; else the checked file."""
    if len(data) > MAX_FILE_BYTES:
        raise refusals.hostile(name, f"it is {len(data) / 2**20:.0f} MB")
    _sniff(name, data)
    _check_directory(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refusals.damaged(name, f"not a complete zip package: {exc}") from exc
    with archive:
        infos = archive.infolist()
        _check_sizes(name, infos)
        _check_parts(name, {i.filename for i in infos})
        heads = _heads(name, archive, infos)
    _check_heads(name, heads)
    return MetricFile(name, data, hashlib.sha256(data).hexdigest(), _saved_by(heads))


def _sniff(name: str, data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise refusals.encrypted(name)
        raise refusals.unsupported_format(name, "an Excel 97–2003 workbook (.xls)")
    if not data.startswith(ZIP_MAGIC):
        raise refusals.not_a_metric(name, "the file is not an Excel workbook (.xlsx or .xlsm)")


def _check_directory(name: str, data: bytes) -> None:
    """The central directory's entry count and size, from the end record (zip64's
    where present), before zipfile parses (and keeps) every entry of it."""
    end = data.rfind(END_RECORD, max(0, len(data) - END_RECORD_BYTES - 0xFFFF))
    if end < 0 or end + END_RECORD_BYTES > len(data):
        return  # no end record: zipfile refuses it as not a zip
    entries, size = struct.unpack_from("<HI", data, end + 10)
    record = end - 20 - 56
    locator = data[end - 20 : end - 16] if record >= 0 else b""
    if locator == ZIP64_LOCATOR and data[record : record + 4] == ZIP64_END_RECORD:
        entries, size = struct.unpack_from("<QQ", data, record + 32)
    if entries > MAX_ENTRIES:
        raise refusals.hostile(name, f"its zip package lists {entries:,} parts")
    if size > MAX_DIRECTORY_BYTES:
        raise refusals.hostile(name, f"its zip directory takes {size:,} bytes")


def _check_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise refusals.hostile(name, f"its zip package has {len(infos):,} parts")
    if len({i.filename for i in infos}) != len(infos):
        raise refusals.hostile(name, "its zip package holds two parts under one name")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refusals.encrypted(name)
        if info.file_size > MAX_PART_BYTES:
            raise refusals.hostile(
                name, f"its part {info.filename} unpacks to {info.file_size / 2**20:,.0f} MB"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refusals.hostile(name, f"its part {info.filename} is a zip bomb")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise refusals.hostile(name, f"its zip package unpacks to {total / 2**20:,.0f} MB")


def _check_parts(name: str, names: set[str]) -> None:
    if BINARY_WORKBOOK_PART in names:
        raise refusals.unsupported_format(name, "an Excel binary workbook (.xlsb)")
    if WORKBOOK_PART not in names:
        raise refusals.not_a_metric(name, "it is a zip archive but not an Excel workbook")


def _heads(name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """The first bytes of every XML part: enough for a DTD and a worksheet's dimension."""
    heads = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as part:
                heads[info.filename] = part.read(HEAD_BYTES)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as exc:
            raise refusals.damaged(name, f"its part {info.filename} cannot be unpacked") from exc
    return heads


def _check_heads(name: str, heads: dict[str, bytes]) -> None:
    """No DTD (the door to entity bombs): it can only stand before the root
    element, which a genuine part opens within its first few bytes."""
    for part, head in heads.items():
        root = ROOT_ELEMENT.search(head)
        if root is None and len(head) == HEAD_BYTES:
            raise refusals.hostile(name, f"its part {part} has no XML element in its first 4 KB")
        if b"<!DOCTYPE" in head[: root.start() if root else len(head)].upper():
            raise refusals.hostile(name, f"its part {part} declares a DTD")


def _saved_by(heads: dict[str, bytes]) -> str:
    found = APPLICATION.search(heads.get("docProps/app.xml", b""))
    application = found.group(1).decode("utf-8", "replace").strip() if found else ""
    if "libreoffice" in application.lower():
        return "LibreOffice"
    if application == "Microsoft Excel":
        return "Excel"
    return application or "unknown"
