"""The type checker `make typecheck` runs (mypy, [tool.mypy] in pyproject.toml) fails on a type error.

Each check is mypy with the project's configuration on a module written for the test: a wrong type
against the kernel anywhere, and what only strict checking catches in a strict layer (a service's
`domain` package) but not outside one.
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mypy(tmp_path_factory):
    """Checks `source` as the module named `module` (one cache for the module's runs)."""
    cache = tmp_path_factory.mktemp("mypy_cache")

    def check(root: Path, module: str, source: str) -> subprocess.CompletedProcess:
        path = root / Path(*module.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        for package in list(path.relative_to(root).parents)[:-1]:
            (root / package / "__init__.py").touch()
        path.write_text(source)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(cache),
        ]
        return subprocess.run([*command, str(path)], cwd=root, capture_output=True, text=True, check=False)

    return check


def test_a_wrong_type_passed_to_the_kernel_fails_the_check_and_the_right_one_passes(mypy, tmp_path):
    call = "from shelfspace_kernel.internal_auth import CallerContext\n\nCallerContext(request_id={}, caller='probe')\n"

    wrong = mypy(tmp_path / "wrong", "probe", call.format("42"))
    right = mypy(tmp_path / "right", "probe", call.format("'42'"))

    assert wrong.returncode == 1, wrong.stdout
    assert 'probe.py:3: error: Argument "request_id" to "CallerContext" has incompatible type "int"' in wrong.stdout
    assert right.returncode == 0, right.stdout


def test_a_domain_layer_is_checked_strictly_and_the_rest_of_a_service_is_not(mypy, tmp_path):
    untyped = "def rank(value):\n    return value\n"

    strict = mypy(tmp_path / "strict", "sync.domain.probe", untyped)
    lenient = mypy(tmp_path / "lenient", "sync.probe", untyped)

    assert strict.returncode == 1, strict.stdout
    assert "probe.py:1: error: Function is missing a type annotation  [no-untyped-def]" in strict.stdout
    assert lenient.returncode == 0, lenient.stdout
