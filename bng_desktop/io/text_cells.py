"""Text from data written so that no spreadsheet runs it (OWASP "CSV injection").

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is taken as a formula by Excel and LibreOffice when a CSV file is
opened, and openpyxl writes such a string as a formula unless told otherwise.

- In an .xlsx the cell keeps the exact text and is marked a string
  (:func:`set_text`): nothing is added, nothing runs, the text reads back as
  written.
- In a CSV, which has no cell types, such text is prefixed with an apostrophe
  (:func:`safe_text`), as OWASP recommends; :func:`original_text` removes that
  apostrophe again when the product reads its own file back.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def safe_text(text: str) -> str:
    """CSV text that no spreadsheet reads as a formula."""
    return GUARD + text if starts_like_formula(text) else text


def original_text(text: str) -> str:
    """The text :func:`safe_text` was given."""
    if text.startswith(GUARD) and starts_like_formula(text[1:]):
        return text[1:]
    return text


def set_text(cell: Cell, text: str) -> Cell:
    """Put ``text`` in ``cell`` as a string, never a formula, whatever it begins with."""
    cell.value = text
    cell.data_type = "s"
    return cell
