"""`python -m bench.library`: the library bench alone (same as `python -m bench library`)."""

import asyncio
import json

from bench.library import run

if __name__ == "__main__":
    print(json.dumps(asyncio.run(run()), indent=2, default=str))
