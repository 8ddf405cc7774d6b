"""How titles are compared across services: accent folding, leading articles, the dedupe key."""

import re
import unicodedata

# Leading articles ignored when sorting (English, French, German, Spanish, Italian).
_ARTICLES = ("the", "a", "an", "le", "la", "les", "der", "die", "das", "el", "los", "las", "il", "gli")
_ARTICLE = re.compile(r"^(?:(?:" + "|".join(_ARTICLES) + r")\s+|l['\u2019]\s*)", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Amélie` and `AMELIE` fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def sort_title(title: str) -> str:
    """The title without a leading article (`The Matrix` → `Matrix`); never empty."""
    title = title.strip()
    rest = _ARTICLE.sub("", title, count=1).strip()
    return rest or title


def sort_key(title: str) -> str:
    """What titles sort and dedupe by: the sort title folded, punctuation dropped."""
    key = _SPACES.sub(" ", _NOT_WORD.sub("", fold(sort_title(title)))).strip()
    return key or fold(title)
