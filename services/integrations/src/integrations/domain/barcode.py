"""What a retail product name says about a disc: its format, edition, year and the film's clean title."""

import re
from dataclasses import dataclass

_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("4K UHD", re.compile(r"\b(4k|ultra[\s-]?hd|uhd)\b", re.I)),
    ("Blu-ray", re.compile(r"\b(blu[\s-]?ray|bluray|bd)\b", re.I)),
    ("DVD", re.compile(r"\bdvds?\b", re.I)),
    ("VHS", re.compile(r"\bvhs\b", re.I)),
    ("LaserDisc", re.compile(r"\blaser[\s-]?discs?\b", re.I)),
    ("Digital", re.compile(r"\b(digital\s+(copy|code|hd)|itunes|vudu|movies anywhere)\b", re.I)),
]
_EDITION = re.compile(
    r"\b((?:collector'?s|special|limited|anniversary|deluxe|ultimate|extended|director'?s(?: cut)?|"
    r"criterion|theatrical|unrated|remastered|steelbook)(?:\s+(?:edition|cut|collection))?)\b",
    re.I,
)
_NOISE = re.compile(
    r"\b(4k|ultra[\s-]?hd|uhd|blu[\s-]?ray|bluray|bd|dvds?|vhs|laser[\s-]?discs?|digital(?:\s+(?:copy|code|hd))?|"
    r"widescreen|full\s*screen|edition|2[\s-]?disc|\d+[\s-]?discs?|combo(?:\s+pack)?|hdr|dolby vision|"
    r"region(?:\s*(?:free|[a-c0-9]))?|ntsc|pal|includes|with|plus|\+|the movie)\b",
    re.I,
)
# A year counts only inside brackets: "Blade Runner 2049" names no year.
_YEAR = re.compile(r"[\(\[][^\)\]]*?\b((?:18|19|20)\d{2})\b[^\)\]]*[\)\]]")
_DASHES = "\u2013\u2014"  # en and em dash, as retail titles use them
_PACKAGING_WORD = r"\b(?:blu|dvd|4k|uhd|edition|digital|disc)\b"
_BRACKETS = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")


@dataclass(frozen=True)
class ProductReading:
    title: str
    format: str
    edition: str | None
    year: int | None


def infer_format(product_title: str) -> str:
    """The first (best) format named in the product title; Other when none is."""
    for name, pattern in _FORMATS:
        if pattern.search(product_title):
            return name
    return "Other"


def _year(product_title: str) -> int | None:
    match = _YEAR.search(product_title)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1870 <= year <= 2100 else None


def _strip_noise(text: str) -> str:
    text = _EDITION.sub(" ", text)
    text = _NOISE.sub(" ", text)
    return text


def clean_title(product_title: str) -> str:
    """The film's title without format words, editions, years or retail decorations."""

    # Bracketed parts are nearly always packaging notes; a bracket with only title words stays.
    def keep_bracket(match: re.Match[str]) -> str:
        inner = match.group(1)
        leftover = re.sub(r"[\W\d_]+", " ", _strip_noise(inner)).strip()
        return "" if not leftover or leftover != inner.strip() else f" ({inner})"

    text = _BRACKETS.sub(keep_bracket, product_title)
    text = re.split(rf"\s+[-{_DASHES}|/]\s+(?=[^-{_DASHES}|/]*{_PACKAGING_WORD})", text, flags=re.I)[0]
    text = _strip_noise(text)
    text = re.sub(rf"\s*[\[\(,:;+/|{_DASHES}-]+\s*$", "", re.sub(r"\s+", " ", text)).strip(f" -{_DASHES},:;+/|")
    return text or product_title.strip()


def read_product(product_title: str) -> ProductReading:
    edition = _EDITION.search(product_title)
    return ProductReading(
        title=clean_title(product_title),
        format=infer_format(product_title),
        edition=" ".join(w[:1].upper() + w[1:] for w in edition.group(1).split()) if edition else None,
        year=_year(product_title),
    )


def normalize_upc(value: str) -> str | None:
    """Digits only; UPC-A (12), EAN-13 (13), EAN-8 (8) or GTIN-14 (14)."""
    digits = re.sub(r"[\s-]", "", value)
    return digits if digits.isdigit() and len(digits) in (8, 12, 13, 14) else None
