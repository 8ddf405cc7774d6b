"""Import from a file (API.md "Import and export"): preview a file, start its import job, and the
errors of a job as CSV. Files come as multipart bodies, bounded before they are parsed."""

import json
import uuid
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import AppError, NotFound, ValidationFailed
from sync import handlers
from sync.api.deps import AdminDep, MemberDep, QueueDep
from sync.api.public import JobEnvelope
from sync.file_jobs import error_rows, preview_rows, stage_records
from sync.files.decoding import UnreadableFile
from sync.files.presets import PRESETS
from sync.files.reading import BadMapping, ParsedFile, read_file
from sync.jobs import get_job, job_view
from sync.upstream import Upstream, job_context

router = APIRouter(prefix="/api")


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The file is too large."


class PreviewProblem(BaseModel):
    code: str
    message: str
    column: str | None = None


class PreviewRow(BaseModel):
    row: int
    fields: dict[str, str]
    outcome: Literal["ok", "skipped", "failed"]
    reason: str | None = None


class FilePreview(BaseModel):
    preset: str
    encoding: str
    delimiter: str | None
    columns: list[str]
    mapping: dict[str, str]
    rows: list[PreviewRow]
    total_rows: int
    problems: list[PreviewProblem]
    # Whether the space has TMDB set up, so rows without ids may be enriched (the `enrich` option).
    tmdb_configured: bool


MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "preset": {"type": "string", "enum": list(PRESETS)},
                        "mapping": {"type": "string", "description": "JSON object: column → field"},
                        "dry_run": {"type": "boolean"},
                        "enrich": {"type": "boolean", "description": "look up TMDB ids of rows without ids"},
                    },
                }
            }
        },
    }
}


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(details=[{"field": field, "message": message}])


async def _upload(request: Request) -> tuple[bytes, dict[str, str], str | None]:
    """The file's bytes and the other form fields; 413 past the limit, 422 for a malformed form."""
    limit = request.app.state.settings.import_max_file_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise PayloadTooLarge(f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise _invalid("file", "send the file as multipart/form-data")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception as exc:
        raise _invalid("file", "the multipart body cannot be read") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _invalid("file", "a file is required")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        name = (upload.filename or "")[:200] or None
    finally:
        await form.close()
    return data, fields, name


def _flag(fields: dict[str, str], name: str) -> bool:
    value = (fields.get(name) or "false").strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise _invalid(name, "true or false")
    return value in ("true", "1", "yes")


def _options(fields: dict[str, str]) -> tuple[str | None, dict[str, str] | None]:
    preset = fields.get("preset") or None
    if preset is not None and preset not in PRESETS:
        raise _invalid("preset", f"one of {', '.join(PRESETS)}")
    mapping = None
    if fields.get("mapping"):
        try:
            mapping = json.loads(fields["mapping"])
        except ValueError as exc:
            raise _invalid("mapping", "a JSON object of column → field") from exc
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items()
        ):
            raise _invalid("mapping", "a JSON object of column → field")
    return preset, mapping


async def _parse(data: bytes, preset: str | None, mapping: dict[str, Any] | None) -> ParsedFile:
    try:
        return await run_in_threadpool(read_file, data, preset, mapping)
    except UnreadableFile as exc:
        detail = [{"field": "file", "message": str(exc)}]
        raise ValidationFailed(str(exc), code="unreadable_file", details=detail) from exc
    except BadMapping as exc:
        raise ValidationFailed("The mapping does not fit the file.", details=exc.details) from exc


@router.post(
    "/imports/file/preview", response_model=FilePreview, operation_id="preview_file_import", openapi_extra=MULTIPART
)
async def preview_file_import(request: Request, caller: AdminDep) -> FilePreview:
    """How the file would be read: preset, columns, proposed mapping, its first rows as mapped, problems."""
    data, fields, _ = await _upload(request)
    preset, mapping = _options(fields)
    parsed = await _parse(data, preset, mapping)
    rows = preview_rows(parsed, request.app.state.settings.import_preview_rows)
    upstream = Upstream(request.app.state.settings)
    try:
        tmdb = await upstream.tmdb_configured(job_context(caller.space_id, caller.user_id, caller.request_id))
    finally:
        await upstream.aclose()
    return FilePreview(
        preset=parsed.preset,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        columns=parsed.columns,
        mapping=parsed.mapping,
        rows=rows,
        total_rows=len(parsed.records),
        problems=[PreviewProblem(**vars(problem)) for problem in parsed.problems],
        tmdb_configured=tmdb,
    )


@router.post(
    "/imports/file", response_model=JobEnvelope, status_code=202, operation_id="import_file", openapi_extra=MULTIPART
)
async def import_file(request: Request, caller: AdminDep, queue: QueueDep) -> JobEnvelope:
    """Start importing the file as a job (provider `file`, kind `import`); `dry_run` writes nothing,
    `enrich` looks up TMDB ids for rows without ids (off unless asked: it costs a TMDB call per row)."""
    data, fields, file_name = await _upload(request)
    preset, mapping = _options(fields)
    dry_run, enrich = _flag(fields, "dry_run"), _flag(fields, "enrich")
    parsed = await _parse(data, preset, mapping)
    if any(problem.code == "unmapped_required" for problem in parsed.problems):
        raise _invalid("mapping", "map a column to “title”: every row needs one")
    if not parsed.records:
        raise _invalid("file", "the file has a header but no rows")
    params = {
        **parsed.params(),
        "dry_run": dry_run,
        "enrich": enrich,
        "encoding": parsed.encoding,
        "file_name": file_name,
    }
    job = await handlers.start_job(
        request.app.state.sessionmaker,
        queue,
        caller,
        provider="file",
        kind="import",
        params=params,
        stage=stage_records(parsed.records),
    )
    return JobEnvelope(job=job_view(job))


@router.get(
    "/sync-jobs/{job_id}/errors.csv",
    operation_id="get_sync_job_errors_csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def sync_job_errors_csv(
    job_id: uuid.UUID, request: Request, session: SessionDep, caller: MemberDep
) -> StreamingResponse:
    """Every skipped or failed row of the job with its reason (other jobs: the reasons they kept)."""
    row = await get_job(session, caller.space_id, job_id)
    if row is None:
        raise NotFound("No such sync job.")
    return StreamingResponse(
        error_rows(request.app.state.sessionmaker, row),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="sync-job-{job_id}-errors.csv"'},
    )
