"""Rules of tag names: trimmed, 1 to 50 characters, one per title whatever its case, at most 30 per title."""

MAX_LENGTH = 50
MAX_PER_TITLE = 30


def clean(name: str) -> str:
    """The name as stored: trimmed, inner runs of spaces made one."""
    return " ".join(name.split())


def key(name: str) -> str:
    """What makes two names the same tag in a space (the unique index is on `lower(name)`)."""
    return name.lower()


def distinct(names: list[str]) -> list[str]:
    """Each tag once, in the order given, the first spelling kept."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(key(name), name)
    return list(seen.values())
