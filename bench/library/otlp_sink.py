"""`python -m bench.library.otlp_sink`: where the traced processes of the library bench send their spans.

A process of its own (PORT from the environment), so that decoding the exporters' batches costs
the bench's load generator nothing. It counts spans and keeps none; `GET /health` answers the count.
"""

import os

import uvicorn
from fastapi import FastAPI, Request, Response
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

app = FastAPI()
received = {"spans": 0, "batches": 0}


@app.post("/v1/traces")
async def traces(request: Request) -> Response:
    export = ExportTraceServiceRequest.FromString(await request.body())
    received["batches"] += 1
    received["spans"] += sum(len(s.spans) for r in export.resource_spans for s in r.scope_spans)
    return Response(ExportTraceServiceResponse().SerializeToString(), media_type="application/x-protobuf")


@app.get("/health")
async def health() -> dict[str, int]:
    return received


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
