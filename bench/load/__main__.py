"""`python -m bench.load`: the load bench alone (same as `python -m bench load`)."""

import asyncio
import json

from bench.load import run

if __name__ == "__main__":
    print(json.dumps(asyncio.run(run()), indent=2, default=str))
