"""Smoke check of a running Shelfspace install, through its public API only (API.md).

    SMOKE_EMAIL=admin@example.org SMOKE_PASSWORD='...' python deploy/smoke/smoke.py http://localhost:8080

Runs the release checklist: health -> first-run registration or login -> add, edit and delete a title ->
the integration test endpoints answer -> logout. Prints "PASS <step>" or "FAIL <step>: <reason>" per step
and exits 1 if any step failed. On an empty install the first registration makes SMOKE_EMAIL the instance
admin and owner of the default space; on a used install SMOKE_EMAIL must be an owner or admin of its active
space (the integration tests need that role). The title it creates is deleted again (it stays in the trash).
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PROVIDERS = ("tmdb", "barcode", "vision", "plex")


class StepFailed(Exception):
    """A check did not hold; the message says what was observed."""


@dataclass
class Smoke:
    client: httpx.Client
    email: str
    password: str
    name: str
    providers: tuple[str, ...]
    space_id: str | None = None
    media_id: str | None = None
    failed: list[str] = field(default_factory=list)

    # --- HTTP helpers -------------------------------------------------------------------------------------

    def call(self, method: str, path: str, expect: tuple[int, ...], json: Any = None) -> httpx.Response:
        headers = {}
        if method not in ("GET", "HEAD", "OPTIONS"):
            # Double-submit CSRF: the readable CSRF cookie goes back in X-CSRF-Token (API.md).
            csrf = self.client.cookies.get("__Host-csrf_token") or self.client.cookies.get("csrf_token")
            if csrf:
                headers["X-CSRF-Token"] = csrf
        try:
            response = self.client.request(method, path, json=json, headers=headers)
        except httpx.HTTPError as exc:
            raise StepFailed(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code not in expect:
            raise StepFailed(f"{method} {path} answered {response.status_code}{describe_error(response)}")
        return response

    def body(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise StepFailed(f"{response.request.method} {response.request.url.path}: not JSON") from exc

    # --- steps --------------------------------------------------------------------------------------------

    def health(self) -> str:
        health = self.body(self.call("GET", "/api/health", (200, 503)))
        status = health.get("status")
        down = sorted(name for name, state in (health.get("services") or {}).items() if state.get("status") != "ok")
        if status != "ok":
            raise StepFailed(f"status {status!r}; services not ok: {', '.join(down) or 'none reported'}")
        return f"version {health.get('version')} ({health.get('git_sha')}, built {health.get('build_date')})"

    def sign_in(self) -> str:
        config = self.body(self.call("GET", "/api/auth/config", (200,)))
        if config.get("first_run"):
            payload = {"email": self.email, "password": self.password, "name": self.name}
            self.call("POST", "/api/auth/register", (201,), json=payload)
            how = "registered the first user (instance admin)"
        else:
            self.call("POST", "/api/auth/login", (200,), json={"email": self.email, "password": self.password})
            how = "logged in"
        for cookie in ("session", "csrf_token"):
            # Named `__Host-session` and `__Host-csrf_token` when SESSION_COOKIE_SECURE is on.
            if cookie not in self.client.cookies and f"__Host-{cookie}" not in self.client.cookies:
                raise StepFailed(f"{how}, but no {cookie} cookie was kept (HTTPS-only cookies over http?)")
        me = self.body(self.call("GET", "/api/auth/me", (200,)))
        self.space_id = (me.get("active_space") or {}).get("id")
        if not self.space_id:
            raise StepFailed(f"{how}, but /api/auth/me names no active space")
        return f"{how} as {self.email}"

    def add_title(self) -> str:
        title = f"Shelfspace smoke check {uuid.uuid4().hex[:8]}"
        payload = {"title": title, "media_type": "movie", "year": 1999, "copies": [{"format": "Blu-ray"}]}
        created = self.body(self.call("POST", "/api/media", (201,), json=payload))
        self.media_id = created.get("id")
        if not self.media_id or created.get("title") != title:
            raise StepFailed(f"created title came back as {created!r}")
        fetched = self.body(self.call("GET", f"/api/media/{self.media_id}", (200,)))
        if fetched.get("title") != title or len(fetched.get("copies") or []) != 1:
            raise StepFailed("the created title does not read back with its copy")
        return f"created {self.media_id}"

    def edit_title(self) -> str:
        changes = {"title": f"Shelfspace smoke check (edited) {uuid.uuid4().hex[:8]}", "year": 2000}
        self.call("PATCH", f"/api/media/{self.media_id}", (200,), json=changes)
        fetched = self.body(self.call("GET", f"/api/media/{self.media_id}", (200,)))
        if fetched.get("title") != changes["title"] or fetched.get("year") != 2000:
            raise StepFailed(f"after PATCH the title reads {fetched.get('title')!r} ({fetched.get('year')})")
        return "title and year changed"

    def delete_title(self) -> str:
        self.call("DELETE", f"/api/media/{self.media_id}", (200, 204))
        self.call("GET", f"/api/media/{self.media_id}", (404,))
        self.media_id = None
        return "moved to the trash"

    def integrations(self) -> str:
        results = []
        for provider in self.providers:
            path = f"/api/spaces/{self.space_id}/integrations/{provider}/test"
            answer = self.body(self.call("POST", path, (200,), json={}))
            if not isinstance(answer.get("ok"), bool):
                raise StepFailed(f"{provider}: the answer has no boolean 'ok': {answer!r}")
            results.append(f"{provider} ok={str(answer['ok']).lower()}")
        return ", ".join(results)

    def sign_out(self) -> str:
        self.remove_leftover_title()
        self.call("POST", "/api/auth/logout", (204,))
        self.call("GET", "/api/auth/me", (401,))
        return "session revoked"

    def remove_leftover_title(self) -> None:
        """A step failed after the title was created: do not leave it in the library."""
        if not self.media_id:
            return
        try:
            self.call("DELETE", f"/api/media/{self.media_id}", (200, 204))
        except StepFailed as exc:
            print(f"note: could not delete the smoke title {self.media_id}: {exc}", flush=True)

    # --- running ------------------------------------------------------------------------------------------

    def run(self) -> bool:
        steps: list[tuple[str, Callable[[], str], tuple[str, ...]]] = [
            ("health", self.health, ()),
            ("sign in", self.sign_in, ()),
            ("add title", self.add_title, ("sign in",)),
            ("edit title", self.edit_title, ("add title",)),
            ("delete title", self.delete_title, ("add title",)),
            ("integration tests", self.integrations, ("sign in",)),
            ("sign out", self.sign_out, ("sign in",)),
        ]
        for name, step, needs in steps:
            missing = [need for need in needs if need in self.failed]
            if missing:
                self.report(name, f"not run: {', '.join(missing)} failed")
                continue
            try:
                detail = step()
            except StepFailed as exc:
                self.report(name, str(exc))
            else:
                print(f"PASS {name}: {detail}", flush=True)
        return not self.failed

    def report(self, name: str, reason: str) -> None:
        self.failed.append(name)
        print(f"FAIL {name}: {reason}", flush=True)


def describe_error(response: httpx.Response) -> str:
    """The API's error code and request id, so a failure can be found in the logs."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    parts = [error.get("code"), error.get("message")]
    request_id = error.get("request_id") or response.headers.get("x-request-id")
    text = ": ".join(str(part) for part in parts if part)
    return (f" ({text})" if text else "") + (f" [request {request_id}]" if request_id else "")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("SMOKE_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("SMOKE_TIMEOUT", "15")))
    parser.add_argument(
        "--providers",
        default=os.environ.get("SMOKE_PROVIDERS", ",".join(PROVIDERS)),
        help="comma-separated providers whose test endpoint is called (default: %(default)s)",
    )
    parser.add_argument("--insecure", action="store_true", help="accept a self-signed TLS certificate")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    email, password = os.environ.get("SMOKE_EMAIL", ""), os.environ.get("SMOKE_PASSWORD", "")
    if not email or not password:
        print("FAIL configuration: set SMOKE_EMAIL and SMOKE_PASSWORD", flush=True)
        return 1
    print(f"Smoke check of {args.url}", flush=True)
    with httpx.Client(base_url=args.url.rstrip("/"), timeout=args.timeout, verify=not args.insecure) as client:
        smoke = Smoke(
            client,
            email=email,
            password=password,
            name=os.environ.get("SMOKE_NAME", "Smoke Check"),
            providers=tuple(p.strip() for p in args.providers.split(",") if p.strip()),
        )
        passed = smoke.run()
        if "sign out" in smoke.failed:
            smoke.remove_leftover_title()
    print("smoke check passed" if passed else f"smoke check FAILED: {', '.join(smoke.failed)}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
