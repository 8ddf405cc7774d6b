# syntax=docker/dockerfile:1
#
# The web app: built with Node, served by an unprivileged nginx that also proxies /api to the gateway,
# so the browser talks to one origin (session cookies stay first-party, no CORS).
# Build context is the repository root:
#
#   docker build -f deploy/docker/frontend.Dockerfile .

# ---------------------------------------------------------------------------------------------------------
FROM node:22-alpine AS build

WORKDIR /app

# Dependencies first, from the lockfile only: this layer survives source edits.
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------------------------------------------------
# nginx-unprivileged runs as uid 101 and listens on 8080, so the container needs no root and no capabilities.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime

COPY deploy/docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/dist /usr/share/nginx/html

ARG APP_VERSION=dev
ARG GIT_SHA=unknown
ARG BUILD_DATE=unknown
ENV APP_VERSION=${APP_VERSION} \
    GIT_SHA=${GIT_SHA} \
    BUILD_DATE=${BUILD_DATE}
LABEL org.opencontainers.image.title="shelfspace-frontend" \
      org.opencontainers.image.description="Shelfspace web app" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.created="${BUILD_DATE}"

USER 101
EXPOSE 8080
