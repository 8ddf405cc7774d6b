"""`/api/docs`: the merged OpenAPI document in Swagger UI, every file served from our own origin.

The viewer's script and stylesheet come from the `fastapi-offline` package (it bundles Swagger UI's
distribution), the start-up script is a file of ours (no inline script), and the page carries its
own CSP, narrower than the web app's: scripts, styles and fetches from this origin only.
"""

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from starlette.exceptions import HTTPException

HERE = Path(__file__).parent
VIEWER = Path(fastapi_offline.__file__).parent / "static"
ASSETS = {
    "swagger-ui-bundle.js": VIEWER / "swagger-ui-bundle.js",
    "swagger-ui.css": VIEWER / "swagger-ui.css",
    "favicon.png": VIEWER / "favicon.png",
    "start.js": HERE / "start.js",
}
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Shelfspace API</title>
<link rel="icon" href="/api/docs/assets/favicon.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/start.js"></script>
</body>
</html>
"""


def mount_docs(app: FastAPI) -> None:
    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(PAGE, headers={"content-security-policy": POLICY})

    @app.get("/api/docs/assets/{name}", include_in_schema=False)
    async def asset(name: str) -> FileResponse:
        path = ASSETS.get(name)
        if path is None:
            raise HTTPException(404)
        # The page's assets change only with a release; the API's no-store does not apply to them.
        return FileResponse(path, headers={"cache-control": "public, max-age=3600"})
