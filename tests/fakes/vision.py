"""A fake OpenAI-compatible chat-completions endpoint with image input (like OpenAI, Ollama, LM Studio).

vision = await FakeVision(api_key="sk-test").start()
vision.answer('{"titles": [{"title": "Alien", "year": 1979, "media_type": "movie"}]}')
# settings: {"base_url": vision.base_url, "model": "gpt-4o-mini", "token": "sk-test"}
"""

import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.fakes.base import FakeServer


class FakeVision(FakeServer):
    def __init__(self, api_key: str | None = None, models: tuple[str, ...] = ("gpt-4o-mini", "llava")) -> None:
        super().__init__()
        self.api_key = api_key
        self.models = models
        self.content = '{"titles": []}'

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def answer(self, content: str) -> None:
        """What the model says next (the message content)."""
        self.content = content

    def images_received(self) -> list[str]:
        """The image URLs (data URLs) sent so far."""
        import json

        urls = []
        for request in self.requests_to("/v1/chat/completions"):
            for message in json.loads(request.body).get("messages", []):
                content = message.get("content")
                for part in content if isinstance(content, list) else []:
                    if part.get("type") == "image_url":
                        urls.append(part["image_url"]["url"])
        return urls

    def routes(self, app: FastAPI) -> None:
        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> JSONResponse:
            if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
                error = {
                    "message": "Incorrect API key provided.",
                    "type": "invalid_request_error",
                    "code": "invalid_api_key",
                }
                return JSONResponse({"error": error}, status_code=401)
            body: dict[str, Any] = await request.json()
            if body.get("model") not in self.models:
                error = {"message": f"The model `{body.get('model')}` does not exist.", "code": "model_not_found"}
                return JSONResponse({"error": error}, status_code=404)
            return JSONResponse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": self.content}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }
            )
