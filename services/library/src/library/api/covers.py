"""Routes of own covers (API.md "Collector records"): set and remove a title's cover, and the public images.

The images are public to whoever holds their URL: the key in it is random, made per upload, and only
the title's readers are shown it (docs/security.md, "Own covers").
"""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile

from library.api.public import MediaId, Member
from library.api.schemas import MediaOut
from library.covers.images import CONTENT_TYPE
from library.domain import covers as names
from library.handlers import covers
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import NotFound

router = APIRouter(prefix="/api", tags=["covers"])

# A URL's bytes never change (a new upload gets a new key), so browsers and proxies may keep them.
IMAGE_HEADERS = {
    "cache-control": "public, max-age=31536000, immutable",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
}


def _covers(request: Request) -> covers.Covers:
    return request.app.state.covers


CoversDep = Annotated[covers.Covers, Depends(_covers)]


@router.put("/media/{media_id}/cover", operation_id="set_cover", response_model=MediaOut)
async def set_cover(
    media_id: MediaId,
    caller: Member,
    session: SessionDep,
    kit: CoversDep,
    image: Annotated[UploadFile, File(description="A JPEG, PNG or WebP image")],
) -> dict:
    data = await image.read(kit.max_bytes + 1)
    return await covers.set_cover(session, kit, caller, media_id, data)


@router.delete("/media/{media_id}/cover", operation_id="remove_cover", status_code=204)
async def remove_cover(media_id: MediaId, caller: Member, session: SessionDep, kit: CoversDep) -> Response:
    await covers.remove_cover(session, kit, caller, media_id)
    return Response(status_code=204)


@router.get(
    "/covers/{cover_key}/{file}",
    operation_id="get_cover_image",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}}, 304: {"description": "Not modified"}},
)
async def get_cover_image(cover_key: str, file: str, request: Request, kit: CoversDep) -> Response:
    width = names.parse_file(file)
    if width is None or not names.KEY.match(cover_key):
        raise NotFound()
    etag = f'"{cover_key}-{width}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={**IMAGE_HEADERS, "etag": etag})
    body = await covers.read_rendition(kit.storage, cover_key, width)
    if body is None:
        raise NotFound()
    return Response(body, media_type=CONTENT_TYPE, headers={**IMAGE_HEADERS, "etag": etag})
