"""CSV cells that a spreadsheet opens as text, never as a formula (OWASP "CSV injection")."""

# A cell starting with one of these is a formula to a spreadsheet; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The text as a CSV cell: prefixed with `'` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def sql_safe_cell(expression: str) -> str:
    """The same rule as a Postgres expression over the text `expression` (for rows SQL writes)."""
    starts = ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS)
    return f"CASE WHEN left({expression}, 1) IN ({starts}) THEN '''' || {expression} ELSE {expression} END"
