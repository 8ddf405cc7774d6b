"""Where cover images are kept: a local directory by default, any S3-compatible store when configured.

Objects are written once under a fresh random key and never changed, so callers may cache them
forever; replacing a cover writes new objects and deletes the old ones. Both stores do their
blocking work in a thread. boto3 is imported only when S3 is configured.
"""

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

import structlog

from library.settings import LibrarySettings
from shelfspace_kernel.errors import Unavailable

log = structlog.get_logger(__name__)

# The most keys one S3 DeleteObjects call takes.
_DELETE_BATCH = 1000
STORAGE_DOWN = Unavailable("Cover storage is unavailable; try again shortly.")


class CoverStorage(Protocol):
    async def put(self, name: str, data: bytes, content_type: str) -> None: ...

    async def get(self, name: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""

    async def delete(self, names: list[str]) -> None:
        """Remove the objects; ones already gone are no error."""


class LocalStorage:
    """Objects as files under `root` (a compose volume, a Kubernetes PVC), written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"object name outside the storage: {name!r}")
        return path

    def _write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def _remove(self, names: list[str]) -> None:
        for name in names:
            path = self._path(name)
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # other renditions are still in it
                path.parent.rmdir()

    async def put(self, name: str, data: bytes, content_type: str) -> None:
        try:
            await asyncio.to_thread(self._write, name, data)
        except OSError as exc:
            log.error("library.covers.write_failed", error=type(exc).__name__)
            raise STORAGE_DOWN from exc

    async def get(self, name: str) -> bytes | None:
        return await asyncio.to_thread(self._read, name)

    async def delete(self, names: list[str]) -> None:
        await asyncio.to_thread(self._remove, names)


class S3Storage:
    """Objects in one bucket of an S3-compatible store; every call bounded by `timeout` seconds."""

    def __init__(self, settings: LibrarySettings) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = settings.cover_s3_bucket
        config = Config(
            connect_timeout=settings.cover_s3_timeout_seconds,
            read_timeout=settings.cover_s3_timeout_seconds,
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": "path"},
            signature_version="s3v4",
        )
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.cover_s3_endpoint_url or None,
            region_name=settings.cover_s3_region,
            aws_access_key_id=settings.cover_s3_access_key_id or None,
            aws_secret_access_key=settings.cover_s3_secret_access_key.get_secret_value() or None,
            config=config,
        )
        from botocore.exceptions import BotoCoreError, ClientError

        self._errors = (BotoCoreError, ClientError)
        self._client_error = ClientError

    def _call(self, operation: str, **params: object) -> object:
        return getattr(self.client, operation)(Bucket=self.bucket, **params)

    def _read(self, name: str) -> bytes | None:
        try:
            answer = self._call("get_object", Key=name)
        except self._client_error as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        with answer["Body"] as body:
            return body.read()

    async def _run(self, function, *args, **kwargs):
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except self._errors as exc:
            # The exception's text may quote the request; only its kind is logged.
            log.error("library.covers.s3_failed", error=type(exc).__name__)
            raise STORAGE_DOWN from exc

    async def put(self, name: str, data: bytes, content_type: str) -> None:
        await self._run(self._call, "put_object", Key=name, Body=data, ContentType=content_type)

    async def get(self, name: str) -> bytes | None:
        return await self._run(self._read, name)

    async def delete(self, names: list[str]) -> None:
        for start in range(0, len(names), _DELETE_BATCH):
            objects = {"Objects": [{"Key": name} for name in names[start : start + _DELETE_BATCH]], "Quiet": True}
            await self._run(self._call, "delete_objects", Delete=objects)


def cover_storage(settings: LibrarySettings) -> CoverStorage:
    """The store the settings name: S3 when COVER_S3_BUCKET is set, else the local directory."""
    if settings.cover_s3_bucket:
        return S3Storage(settings)
    return LocalStorage(settings.cover_storage_dir)
