"""Names as people type them: the key habitat and place names are compared by.

Case, repeated and unusual spaces, the dashes word processors put in (en and
em dashes, minus signs, non-breaking hyphens) and curly quotes make no
difference: "Grassland – Modified grassland" and "grassland - modified
grassland" name the same habitat, "Scot’s pine" and "Scot's pine" too.
"""

from __future__ import annotations

import re
import unicodedata

_SAME_AS = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\uff02", '"'),
    }
)
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """The comparison key of a name: case, spacing, dashes and quotes folded."""
    text = unicodedata.normalize("NFKC", str(name)).translate(_SAME_AS)
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip().casefold()
