# syntax=docker/dockerfile:1
#
# One image recipe for every Python process: the five domain services (identity, library,
# integrations, sync, audit), the sync worker and the gateway.
#
# Why one file: they all share one shape (the pinned requirements/base.txt, the shared libs/kernel and
# libs/contracts, one local pip package, `python -m <package>` as the entrypoint), so one Dockerfile keeps
# base image, user, labels and hardening identical everywhere. The build arg SERVICE picks the package:
#
#   docker build -f deploy/docker/python-service.Dockerfile --build-arg SERVICE=identity .
#
# SERVICE=gateway installs gateway/; any other value installs services/<SERVICE>/. The sync worker and the
# migrate one-shots reuse their service's image with another command (python -m sync.worker,
# python -m <service>.migrate). The build context is the repository root.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ARG SERVICE
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

# The venv lives at the same path in both stages: its scripts carry absolute shebangs.
RUN python -m venv /opt/venv

WORKDIR /src

# Third-party pins first, in their own layer: they change far less often than our code.
COPY requirements/base.txt requirements/base.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements/base.txt

COPY libs/ libs/
COPY services/ services/
COPY gateway/ gateway/

# Install the shared libs and the chosen package as regular (non-editable) wheels. The constraint file keeps
# any transitive dependency on the pinned versions; `pip check` fails the build on a broken set.
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eu; \
    case "${SERVICE:-}" in \
      gateway) pkg=gateway ;; \
      identity|library|integrations|sync|audit) pkg="services/${SERVICE}" ;; \
      *) echo "build arg SERVICE must be one of identity, library, integrations, sync, audit, gateway (got '${SERVICE:-}')" >&2; exit 1 ;; \
    esac; \
    pip install --constraint requirements/base.txt ./libs/contracts ./libs/kernel "./${pkg}"; \
    pip check

# ---------------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG SERVICE

# A fixed, unprivileged uid/gid so volume permissions and Kubernetes securityContext can rely on it.
RUN groupadd --system --gid 10001 shelfspace \
 && useradd --system --uid 10001 --gid shelfspace --create-home --home-dir /home/shelfspace \
      --shell /usr/sbin/nologin shelfspace

# Only the venv crosses over: no compilers, sources or pip caches in the final image.
COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONFAULTHANDLER=1 \
    LOG_FORMAT=json \
    SHELFSPACE_SERVICE=${SERVICE}

WORKDIR /app
# Own covers' default directory, owned by the service user: a named volume mounted here starts with this owner.
RUN mkdir -p /app/data/covers && chown -R 10001:10001 /app/data
USER 10001:10001

# Release metadata last, so a new commit only rebuilds these cheap layers. The settings read
# APP_VERSION, GIT_SHA and BUILD_DATE from the environment (shown by /api/health and the web app).
ARG APP_VERSION=dev
ARG GIT_SHA=unknown
ARG BUILD_DATE=unknown
ENV APP_VERSION=${APP_VERSION} \
    GIT_SHA=${GIT_SHA} \
    BUILD_DATE=${BUILD_DATE}
LABEL org.opencontainers.image.title="shelfspace-${SERVICE}" \
      org.opencontainers.image.description="Shelfspace ${SERVICE}" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.created="${BUILD_DATE}"

# Services listen on 8000, the gateway on 8080 (both follow $PORT). No HEALTHCHECK here: the probe differs
# per process (service, gateway, worker), so compose and the Helm chart declare it.
EXPOSE 8000 8080

# `exec` replaces the shell with Python, so `docker stop` delivers SIGTERM to the app and shutdown is graceful.
CMD ["/bin/sh", "-c", "exec python -m \"$SHELFSPACE_SERVICE\""]
