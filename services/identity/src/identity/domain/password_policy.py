"""The one password policy: every form that sets a password (registration, profile, reset) checks
it here, and `GET /api/auth/config` tells the web app the same rules."""

from functools import cache
from pathlib import Path

from shelfspace_kernel.errors import ValidationFailed

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, min_length: int) -> tuple[str, str] | None:
    """(type, message) of the first rule the password breaks; None when it passes."""
    if len(password) < min_length:
        return "too_short", f"must be at least {min_length} characters"
    if password.strip().lower() in common_passwords():
        return "too_common", "is one of the most common passwords; choose another"
    return None


def check_password(password: str, min_length: int, field: str = "password") -> None:
    problem = password_problem(password, min_length)
    if problem is not None:
        kind, message = problem
        raise ValidationFailed(details=[{"field": field, "message": message, "type": kind}])
