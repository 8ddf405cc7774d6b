"""A served process keeps what it built before serving out of the collector's full passes."""

import gc

import pytest
import uvicorn
from fastapi import FastAPI

from shelfspace_kernel.app import KEEP_ALIVE_SECONDS, serve
from shelfspace_kernel.settings import BaseAppSettings


def test_serve_freezes_the_startup_heap_before_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict = {}

    def run(app: FastAPI, **options: object) -> None:
        seen["frozen"] = gc.get_freeze_count()
        seen["options"] = options

    monkeypatch.setattr(uvicorn, "run", run)
    startup_objects = len(gc.get_objects())
    try:
        serve(FastAPI(), BaseAppSettings(host="127.0.0.1", port=0))
    finally:
        gc.unfreeze()
    # Every module and object alive before serving is frozen, not just a few.
    assert seen["frozen"] >= startup_objects * 0.9
    assert seen["options"]["timeout_keep_alive"] == KEEP_ALIVE_SECONDS


def test_a_served_process_does_not_let_uvicorn_rewrite_the_client_address(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    try:
        serve(FastAPI(), BaseAppSettings(host="127.0.0.1", port=0))
    finally:
        gc.unfreeze()
    assert seen["proxy_headers"] is False
