"""Cover recognition through an OpenAI-compatible chat-completions endpoint with image input.

Works with OpenAI, or a local model served by Ollama or LM Studio (their /v1 endpoints).
"""

import base64
import json
import re
import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.providers import VisionConfig
from integrations.errors import PayloadTooLarge, ProviderBadResponse, UnsupportedMediaType
from shelfspace_kernel.errors import ValidationFailed

PROMPT = (
    "This is a photo of a film or TV series cover (a disc case, box or poster). List the titles it shows. "
    'Answer with JSON only: {"titles": [{"title": "...", "year": 1999 or null, "media_type": "movie" or "tv"}]}. '
    'If no title is readable, answer {"titles": []}.'
)
MAX_TITLES = 5


def image_type(data: bytes) -> str | None:
    """The image's MIME type from its magic bytes (JPEG, PNG, WebP, GIF); None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def check_image(data: bytes, max_bytes: int) -> str:
    if not data:
        raise ValidationFailed(details=[{"field": "image", "message": "the file is empty", "type": "missing"}])
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The image is larger than {max_bytes // (1024 * 1024)} MB; send a smaller photo.")
    mime = image_type(data)
    if mime is None:
        raise UnsupportedMediaType("Send a JPEG, PNG, WebP or GIF photo.")
    return mime


def parse_titles(content: str) -> list[dict[str, Any]]:
    """The titles a model answered, tolerating code fences and prose around the JSON."""
    match = re.search(r"\{.*\}", content, re.S)
    if not match:
        return []
    try:
        body = json.loads(match.group(0))
    except ValueError:
        return []
    titles = []
    for entry in body.get("titles") or [] if isinstance(body, dict) else []:
        title = str(entry.get("title") or "").strip() if isinstance(entry, dict) else ""
        if not title:
            continue
        year = entry.get("year")
        titles.append(
            {
                "title": title[:500],
                "year": year if isinstance(year, int) and 1870 <= year <= 2100 else None,
                "media_type": "tv" if entry.get("media_type") == "tv" else "movie",
            }
        )
    return titles[:MAX_TITLES]


class Vision:
    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, config: VisionConfig, token: str | None) -> None:
        self._http = ProviderHttp(kit, space_id, "vision", "The vision model")
        self._config = config
        self._token = token

    def _headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        if self._token:
            headers["authorization"] = f"Bearer {self._token}"
        return headers

    async def _complete(self, content: list[dict[str, Any]] | str) -> str:
        body = {"model": self._config.model, "messages": [{"role": "user", "content": content}], "temperature": 0}
        response = await self._http.request(
            "POST", f"{self._config.base_url}/chat/completions", json=body, headers=self._headers()
        )
        if response.status_code == 404:
            raise ProviderBadResponse(f"The vision endpoint does not know the model {self._config.model!r}.")
        if response.status_code >= 400:
            raise ProviderBadResponse(f"The vision endpoint answered HTTP {response.status_code}.")
        answer = ProviderHttp.json_of(response, "The vision endpoint")
        try:
            return str(answer["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderBadResponse("The vision endpoint's answer had no message.") from exc

    async def recognize(self, image: bytes, mime: str) -> list[dict[str, Any]]:
        data_url = f"data:{mime};base64,{base64.b64encode(image).decode()}"
        content = [{"type": "text", "text": PROMPT}, {"type": "image_url", "image_url": {"url": data_url}}]
        return parse_titles(await self._complete(content))

    async def check(self) -> str:
        await self._complete("Reply with the word ok.")
        return f"The vision endpoint answered with model {self._config.model}."
