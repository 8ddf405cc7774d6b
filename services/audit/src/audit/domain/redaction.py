"""Redaction of event details before they are stored: no secret reaches the activity log.

A value is replaced when its key names a secret (password, token, cookie, API key, ...), or when
the value itself looks like one (a bearer header, a JWT, a private key, a long opaque token), or,
inside text, where a URL carries credentials or a secret query parameter. Applied recursively.
"""

import itertools
import re
from typing import Any

REDACTED = "[REDACTED]"
MAX_DEPTH = 12
MAX_STRING = 4000

# Matched against the key lower-cased with every non-alphanumeric character removed.
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "cookie",
    "apikey",
    "authorization",
    "credential",
    "privatekey",
    "sessionid",
    "signature",
)
_SECRET_KEY_WORDS = {"pwd", "pass", "auth", "session", "sid", "csrf", "jwt", "bearer", "key", "otp", "pin"}
_SPLIT_WORDS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")

_SECRET_VALUES = [
    re.compile(r"^\s*(bearer|basic|token|digest)\s+\S{8,}", re.IGNORECASE),
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),  # JWT
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}"),
    re.compile(r"\b(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})"),
]
# A whole value that is one long run of token characters (hex, base64, base64url).
_OPAQUE = re.compile(r"^[A-Za-z0-9+/_=-]{32,}$")
_HEX = re.compile(r"^[0-9a-fA-F]{32,}$")
# Random tokens switch between lower case, upper case and digits far more often than words do.
_RANDOM_SWITCH_RATIO = 0.45
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+(?=@)", re.IGNORECASE)
_QUERY_SECRET = re.compile(
    r"(?P<head>[?&;](?:[a-z0-9_.-]*?)(?:token|key|secret|password|passwd|signature|sig|auth|session)[a-z0-9_.-]*=)[^&#\s]+",
    re.IGNORECASE,
)
_COOKIE_PAIRS = re.compile(r"(?P<head>\b(?:session|csrf_token|sessionid|sid)=)[^;\s]+", re.IGNORECASE)


def is_secret_key(key: str) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", key.lower())
    if any(part in compact for part in _SECRET_KEY_PARTS):
        return True
    words = {word.lower() for word in _SPLIT_WORDS.split(key) if word}
    return bool(words & _SECRET_KEY_WORDS)


def _char_class(char: str) -> str:
    return "digit" if char.isdigit() else "upper" if char.isupper() else "lower"


def _looks_opaque(value: str) -> bool:
    if not _OPAQUE.match(value) or _UUID.match(value):
        return False
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return False
    if _HEX.match(value):
        return True
    classes = [_char_class(c) for c in value if c.isalnum()]
    switches = sum(1 for a, b in itertools.pairwise(classes) if a != b)
    return switches / max(1, len(classes) - 1) >= _RANDOM_SWITCH_RATIO


def redact_text(value: str) -> str:
    """The text with secret-looking values replaced, or wholly replaced when it is one."""
    if any(pattern.search(value) for pattern in _SECRET_VALUES) or _looks_opaque(value):
        return REDACTED
    value = _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED, value)
    value = _QUERY_SECRET.sub(lambda m: m.group("head") + REDACTED, value)
    value = _COOKIE_PAIRS.sub(lambda m: m.group("head") + REDACTED, value)
    if len(value) > MAX_STRING:
        value = value[:MAX_STRING] + "…"
    return value


def _redact_value_of_secret_key(value: Any) -> Any:
    # A flag such as `secret_set: true` says nothing about the secret itself.
    return value if value is None or isinstance(value, bool) else REDACTED


def redact(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON value with every secret replaced by `[REDACTED]`."""
    if depth > MAX_DEPTH:
        return REDACTED
    if isinstance(value, dict):
        return {
            str(key): _redact_value_of_secret_key(item) if is_secret_key(str(key)) else redact(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item, depth + 1) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value
