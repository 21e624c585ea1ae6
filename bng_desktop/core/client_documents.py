"""The documents a saved quote can be handed to the client as, chosen by file name.

    ClientDocument.for_file_name("quote.pdf")   → ClientDocument.PDF
    ClientDocument.EMAIL.file_name("BNG-A-02025") → "BNG_Quote_BNG-A-02025.eml"

An unknown ending raises UnknownDocumentType naming the file and the endings
that work, so the CLI and the UI can say what to type.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath

from .errors import BngError

SPREADSHEET_TYPES: dict[str, str] = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
}
"""The media type of each Excel workbook ending (a metric may be any of them)."""
OTHER_FILE_TYPE = "application/octet-stream"


class UnknownDocumentType(BngError):
    """A file name whose ending is none of the client documents'."""

    kind = "unknown_document_type"


class ClientDocument(StrEnum):
    """A client document, valued by its file ending (without the dot)."""

    EXCEL = "xlsx"
    PDF = "pdf"
    EMAIL = "eml"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    def file_name(self, reference: str) -> str:
        return f"BNG_Quote_{reference}{self.suffix}"

    @classmethod
    def for_file_name(cls, name: str | PurePath) -> ClientDocument:
        """The document a file name asks for, by its ending (any case)."""
        path = PurePath(name)
        suffix = path.suffix.lower()
        for document in cls:
            if document.suffix == suffix:
                return document
        endings = ", ".join(f"{d.suffix} ({d.label})" for d in cls)
        found = f"ends in {path.suffix!r}" if path.suffix else "has no ending"
        raise UnknownDocumentType(
            f"{path.name} {found}, which is not a client document; "
            f"name the file with one of these endings: {endings}"
        )


_LABELS: dict[ClientDocument, str] = {
    ClientDocument.EXCEL: "Excel quote",
    ClientDocument.PDF: "PDF quote",
    ClientDocument.EMAIL: "client email",
}
_MEDIA_TYPES: dict[ClientDocument, str] = {
    ClientDocument.EXCEL: SPREADSHEET_TYPES[".xlsx"],
    ClientDocument.PDF: "application/pdf",
    ClientDocument.EMAIL: "message/rfc822",
}


def attachment_media_type(file_name: str) -> str:
    """The media type to attach a file under: Excel workbooks by their ending."""
    return SPREADSHEET_TYPES.get(PurePath(file_name).suffix.lower(), OTHER_FILE_TYPE)
