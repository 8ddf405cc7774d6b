"""Schemathesis over the gateway's merged OpenAPI document, run in a worker thread.

The system under test serves from the test's event loop, so the (blocking) generated calls run in
a thread. Every response is checked: never a 5xx, and every error in the API.md shape.
"""

import json
import os
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

# Generated cases per operation and role: 25 gives ~3,600 cases over the three roles (~70 s);
# `SYSTEM_FUZZ_EXAMPLES=200` for a long run.
EXAMPLES = int(os.environ.get("SYSTEM_FUZZ_EXAMPLES", "25"))
ERROR_KEYS = {"code", "message", "details", "request_id"}


@dataclass
class FuzzReport:
    cases: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def note(self, case, response: requests.Response) -> None:
        self.cases += 1
        self.by_status[response.status_code] = self.by_status.get(response.status_code, 0) + 1
        problem = _problem(response)
        if problem and len(self.failures) < 20:
            body = case.body if type(case.body).__name__ != "NotSet" else None
            self.failures.append(
                f"{case.method} {case.formatted_path} query={case.query} body={str(body)[:160]!r} "
                f"→ {response.status_code} {problem}: {response.text[:200]!r}"
            )


def _problem(response: requests.Response) -> str | None:
    if response.status_code >= 500:
        return "server error"
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except json.JSONDecodeError:
        return "error body is not JSON"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not set(error) >= ERROR_KEYS or not isinstance(error["details"], list):
        return "error body not in the API.md shape"
    if not response.headers.get("x-request-id"):
        return "no X-Request-Id"
    return None


def fuzz(
    document: dict, base_url: str, *, cookies: dict | None = None, headers: dict | None = None, skip: set[str]
) -> FuzzReport:
    """Run EXAMPLES generated cases against every operation not in `skip` ("METHOD /path")."""
    schema = schemathesis.openapi.from_dict(document)
    report = FuzzReport()
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        if f"{operation.method.upper()} {operation.path}" in skip:
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            response = case.call(base_url=base_url, session=session, headers=headers, cookies=cookies, timeout=10)
            report.note(case, response)

        run()
    return report
