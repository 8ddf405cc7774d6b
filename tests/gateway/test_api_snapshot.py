"""The committed contract, docs/api/openapi.json, is what the code documents (`make api-snapshot`).

The document is built from the services' apps and merged as the gateway merges it, with no server
running (scripts/api_snapshot.py); tests/gateway/test_openapi_and_webapp.py checks that a running
gateway serves the same paths.
"""

import copy
import json
import re
import shutil
import subprocess

import pytest

from scripts import api_snapshot

JSON = "application/json"
# One operation-id pattern: verb first, then what it acts on, in snake case (`list_media`,
# `update_admin_user`); a 1.x path's operation ends in `_1x`.
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
VERBS = {
    "accept", "add", "cancel", "change", "create", "delete", "disable", "enable", "export", "get", "import",
    "lend", "list", "mark", "login", "logout", "lookup", "match", "merge", "poll", "preview", "put", "recognize",
    "refresh", "register", "remove", "rename", "request", "reset", "restore", "return", "revert", "revoke",
    "search", "set", "setup", "start", "sync", "test", "unlink", "update", "verify", "finish", "check",
}  # fmt: skip


@pytest.fixture(scope="module")
def document():
    return api_snapshot.build_document()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_the_committed_snapshot_is_the_code_s_contract(document):
    committed = json.loads(api_snapshot.SNAPSHOT.read_text())

    differences = api_snapshot.contract_differences(committed, document)

    assert not differences, f"docs/api/openapi.json is stale: run `{api_snapshot.COMMAND}`\n" + "\n".join(differences)


def test_the_snapshot_file_is_written_as_the_command_writes_it():
    text = api_snapshot.SNAPSHOT.read_text()

    assert api_snapshot.render(json.loads(text)) == text, f"reformatted by hand: run `{api_snapshot.COMMAND}`"


def test_a_changed_field_a_new_path_and_a_dropped_schema_are_each_reported(document):
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["LoanOut"]["properties"]["copy_id"]["type"] = "integer"
    changed["paths"]["/api/media/surprise"] = {"get": {"operationId": "get_surprise"}}
    del changed["components"]["schemas"]["WishOut"]

    differences = api_snapshot.contract_differences(document, changed)

    assert "/components/schemas/LoanOut/properties/copy_id/type" in "\n".join(differences)
    assert "/paths/~1api~1media~1surprise: only in the code" in differences
    assert "/components/schemas/WishOut: only in the snapshot" in differences
    assert api_snapshot.contract_differences(document, copy.deepcopy(document)) == []


def test_the_check_command_fails_naming_the_command_when_the_snapshot_differs(document, tmp_path, monkeypatch, capsys):
    stale = copy.deepcopy(document)
    stale["components"]["schemas"]["LoanOut"]["properties"]["copy_id"]["type"] = "integer"
    snapshot = tmp_path / "openapi.json"
    snapshot.write_text(api_snapshot.render(stale))
    monkeypatch.setattr(api_snapshot, "SNAPSHOT", snapshot)
    monkeypatch.setattr(api_snapshot, "REPO", tmp_path)
    monkeypatch.setattr(api_snapshot, "build_document", lambda: document)

    assert api_snapshot.main(["--check"]) == 1
    assert "run `make api-snapshot`" in capsys.readouterr().err
    snapshot.write_text(api_snapshot.render(document))
    assert api_snapshot.main(["--check"]) == 0


def test_a_release_changes_the_version_without_changing_the_contract(document):
    released = copy.deepcopy(document)
    released["info"]["version"] = "99.0.0"

    assert api_snapshot.contract_differences(document, released) == []


def test_the_1x_provider_test_paths_are_documented(document):
    assert "post" in document["paths"]["/api/admin/settings/integrations/test-{provider}"]


def test_every_json_answer_has_a_typed_schema(document):
    untyped = []
    for name, operation in operations(document):
        for status, response in operation.get("responses", {}).items():
            schema = response.get("content", {}).get(JSON, {}).get("schema")
            if not status.startswith("2") or schema is None:
                continue
            if not _typed(schema):
                untyped.append(f"{name} {status}: {json.dumps(schema)[:80]}")

    assert not untyped, "answers without a response model:\n" + "\n".join(untyped)


def test_every_answer_names_its_content_or_has_none(document):
    """A 2xx answer is JSON with a schema, another declared media type (CSV, an image), a redirect or empty."""
    unnamed = []
    for name, operation in operations(document):
        for status, response in operation.get("responses", {}).items():
            content = response.get("content", {})
            if status.startswith("2") and status not in ("202", "204") and not content:
                unnamed.append(f"{name} {status}")
            if JSON in content and content[JSON].get("schema") in (None, {}) and len(content) == 1:
                unnamed.append(f"{name} {status}: JSON without a schema")

    assert not unnamed, "\n".join(unnamed)


def test_operation_ids_follow_one_pattern_and_are_unique(document):
    ids = [operation["operationId"] for _, operation in operations(document)]
    wrong = [i for i in ids if not OPERATION_ID.match(i) or i.split("_")[0] not in VERBS]

    assert not wrong, "operation ids not `<verb>_<subject>`:\n" + "\n".join(wrong)
    assert len(ids) == len(set(ids))


def test_every_call_of_the_web_app_is_in_the_committed_contract():
    """`npm run check-api` against the snapshot: no running system needed."""
    node = shutil.which("node")
    assert node, "node is needed to read the web app's API client"
    frontend = api_snapshot.REPO / "frontend"
    result = subprocess.run(
        [node, "scripts/check-api.mjs", str(api_snapshot.SNAPSHOT)], cwd=frontend, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr


def _typed(schema: dict) -> bool:
    if "$ref" in schema:
        return True
    if "anyOf" in schema or "oneOf" in schema:
        return all(_typed(option) for option in schema.get("anyOf", schema.get("oneOf", [])))
    if schema.get("type") == "array":
        return _typed(schema.get("items", {}))
    if schema.get("type") == "object":
        return bool(schema.get("properties")) and schema.get("additionalProperties") is not True
    return schema.get("type") in {"string", "integer", "number", "boolean", "null"}
