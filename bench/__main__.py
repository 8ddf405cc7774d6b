"""`python -m bench [area ...]` (what `make bench` runs): every bench area, or the named ones.

An area is a package `bench/<area>/`. One that exports a `run()` coroutine is awaited here (it
returns a summary dict and writes its own results); one with only a `__main__` module runs as
`python -m bench.<area>` in a child process. A summary line per area is printed at the end.
"""

import asyncio
import importlib
import inspect
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def areas() -> list[str]:
    return sorted(
        path.name
        for path in HERE.iterdir()
        if path.is_dir() and (path / "__init__.py").is_file() and not path.name.startswith(("_", "."))
    )


def run_area(name: str) -> tuple[bool, object]:
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if run is not None and inspect.iscoroutinefunction(run):
        return True, asyncio.run(run())
    if (HERE / name / "__main__.py").is_file():
        done = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        return done.returncode == 0, f"exit code {done.returncode}"
    return False, "no run() coroutine and no __main__ module"


def main(argv: list[str]) -> int:
    known = areas()
    wanted = argv or known
    unknown = [name for name in wanted if name not in known]
    if unknown:
        print(f"unknown bench area(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    summary: dict[str, dict] = {}
    for name in wanted:
        print(f"== bench {name}", flush=True)
        started = time.monotonic()
        try:
            ok, outcome = run_area(name)
        except Exception as exc:
            ok, outcome = False, f"{type(exc).__name__}: {exc}"
        summary[name] = {"ok": ok, "seconds": round(time.monotonic() - started, 1), "summary": outcome}
    print("== summary")
    print(json.dumps(summary, indent=2, default=str))
    return 0 if all(entry["ok"] for entry in summary.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
