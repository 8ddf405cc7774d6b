"""`python -m bench.webapp`: the web app bench alone (same as `python -m bench webapp`)."""

import asyncio
import json

from bench.webapp import run

if __name__ == "__main__":
    print(json.dumps(asyncio.run(run()), indent=2, default=str))
