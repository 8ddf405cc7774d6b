"""`make api-snapshot`: writes the public contract, docs/api/openapi.json, from the code.

Each service's app is built (nothing is started: no database, broker or port is needed) and its
OpenAPI document merged as the gateway merges them at /api/openapi.json (gateway.openapi.merge_specs,
through the route table). The output is stable: sorted keys, two-space indents, one final newline.

`--check` writes nothing and exits 1 when the committed snapshot differs from the code (what
tests/gateway/test_api_snapshot.py checks in `make test`).
"""

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "docs" / "api" / "openapi.json"
COMMAND = "make api-snapshot"
SERVICES = ("identity", "library", "integrations", "sync", "audit")


def _settings(service: str, private_pem: str, public_keys: str) -> Any:
    module = importlib.import_module(f"{service}.settings")
    settings_class = getattr(module, f"{service.capitalize()}Settings")
    # Development settings: the apps are only built, so no secret of theirs is ever used.
    return settings_class(
        environment="development",
        log_format="console",
        log_level="ERROR",
        database_url="postgresql://snapshot@127.0.0.1:5432/snapshot",
        internal_auth_public_keys=public_keys,
        internal_auth_private_key=private_pem,
    )


def service_documents() -> list[dict[str, Any]]:
    from shelfspace_kernel.internal_keys import generate_keypair, public_key_entry

    private_pem = generate_keypair()[0]
    public_keys = public_key_entry("gateway", private_pem)
    documents = []
    for service in SERVICES:
        create_app = importlib.import_module(f"{service}.main").create_app
        documents.append(create_app(_settings(service, private_pem, public_keys)).openapi())
    logging.getLogger().handlers.clear()
    return documents


def build_document() -> dict[str, Any]:
    from gateway.openapi import merge_specs
    from gateway.route_table import ROUTES
    from gateway.routes import RouteTable
    from shelfspace_kernel.settings import BaseAppSettings

    version = BaseAppSettings().app_version
    return merge_specs(service_documents(), RouteTable(ROUTES), version)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def contract_differences(expected: dict[str, Any], actual: dict[str, Any], limit: int = 20) -> list[str]:
    """Where two documents differ, as JSON pointers (`/paths/~1api~1media/get/...`), at most `limit`.

    `info.version` is the release's number, not part of the contract: a release changes it alone."""
    found: list[str] = []

    def walk(left: Any, right: Any, pointer: str) -> None:
        if len(found) >= limit or pointer == "/info/version":
            return
        if isinstance(left, dict) and isinstance(right, dict):
            for key in sorted(set(left) | set(right)):
                where = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
                if key not in left:
                    found.append(f"{where}: only in the snapshot")
                elif key not in right:
                    found.append(f"{where}: only in the code")
                else:
                    walk(left[key], right[key], where)
        elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
            for index, (a, b) in enumerate(zip(left, right, strict=True)):
                walk(a, b, f"{pointer}/{index}")
        elif left != right:
            found.append(
                f"{pointer or '/'}: {json.dumps(right)[:80]} in the snapshot, {json.dumps(left)[:80]} in the code"
            )

    walk(actual, expected, "")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the snapshot; write nothing")
    args = parser.parse_args(argv)
    document = build_document()
    if args.check:
        committed = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
        differences = contract_differences(committed, document)
        if differences:
            print(f"{SNAPSHOT.relative_to(REPO)} differs from the code; run `{COMMAND}`:", file=sys.stderr)
            print("\n".join(differences), file=sys.stderr)
            return 1
        return 0
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(render(document))
    operations = sum(1 for item in document["paths"].values() for _ in item)
    print(f"wrote {SNAPSHOT.relative_to(REPO)}: {len(document['paths'])} paths, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
