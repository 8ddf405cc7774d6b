"""Specification of the homelab deployment (docker-compose.yml, deploy/docker/, .env.example).

There is no Docker engine in CI, so these tests read the files instead of running them: each test states
one rule an operator relies on (health reporting, start order, no secrets in the repo, ...).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
DOCKER_DIR = ROOT / "deploy" / "docker"

DOMAIN_SERVICES = ("identity", "library", "integrations", "sync", "audit")
BUILT_IMAGES = (*DOMAIN_SERVICES, "gateway", "frontend")
BUILD_ARGS = ("APP_VERSION", "GIT_SHA", "BUILD_DATE")
SECRET_NAME = re.compile(r"PASSWORD|PASS$|KEY|SECRET|TOKEN")
# ${VAR}, ${VAR:-default}, ${VAR:?message}; "$$" is compose's escape for a literal "$" and is skipped.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
REQUIRED_REFERENCE = re.compile(r"^\$\{[A-Z0-9_]+:\?[^}]+\}$")
# Secrets that are legitimately absent most of the time: they may only default to empty.
OPTIONAL_SECRETS = {"INTEGRATION_ENCRYPTION_OLD_KEYS", "IDENTITY_ENCRYPTION_OLD_KEYS"}
# Own covers' S3 key: only when covers go to a bucket (docs/operations/covers.md).
OPTIONAL_SECRETS |= {"COVER_S3_ACCESS_KEY_ID", "COVER_S3_SECRET_ACCESS_KEY"}
OPTIONAL_REFERENCE = re.compile(r"^\$\{([A-Z0-9_]+):-\}$")
# Every variable the processes or `make run` read (see DESIGN.md and the services' settings).
DOCUMENTED_VARIABLES = (
    "DATABASE_URL",
    "AMQP_URL",
    "ENVIRONMENT",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "PORT",
    "APP_VERSION",
    "GIT_SHA",
    "BUILD_DATE",
    "INTERNAL_AUTH_PUBLIC_KEYS",
    "INTERNAL_AUTH_PRIVATE_KEY",
    "GATEWAY_INTERNAL_AUTH_PRIVATE_KEY",
    "SYNC_INTERNAL_AUTH_PRIVATE_KEY",
    "INTEGRATION_ENCRYPTION_KEY",
    "IDENTITY_ENCRYPTION_KEY",
    "IDENTITY_URL",
    "LIBRARY_URL",
    "INTEGRATIONS_URL",
    "SYNC_URL",
    "AUDIT_URL",
    "AUDIT_LOG_MODE",
    "SESSION_COOKIE_SECURE",
    "SESSION_IDLE_TIMEOUT_SECONDS",
    "SESSION_LIFETIME_SECONDS",
    "PUBLIC_URL",
    "SMTP_URL",
    "SMTP_FROM",
    "SMTP_STARTTLS",
    "SMTP_TLS_VERIFY",
    "IDENTITY_DB_PASSWORD",
    "LIBRARY_DB_PASSWORD",
    "INTEGRATIONS_DB_PASSWORD",
    "SYNC_DB_PASSWORD",
    "AUDIT_DB_PASSWORD",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
    "RABBITMQ_DEFAULT_USER",
    "RABBITMQ_DEFAULT_PASS",
    "SHELFSPACE_PORT",
    "SHELFSPACE_DB",
    "SHELFSPACE_AMQP_VHOST",
)


# --- fixtures and helpers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE_FILE.read_text()


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict:
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example_lines() -> list[str]:
    return ENV_EXAMPLE.read_text().splitlines()


@pytest.fixture(scope="module")
def documented(env_example_lines: list[str]) -> dict[str, str]:
    """Variables of .env.example, active (`VAR=value`) or shown commented out (`# VAR=value`)."""
    found = {}
    for line in env_example_lines:
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def is_one_shot(name: str) -> bool:
    return name.endswith("-migrate")


def long_running(services: dict[str, dict]) -> dict[str, dict]:
    return {name: svc for name, svc in services.items() if not is_one_shot(name)}


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def image_repository(service: dict) -> str:
    return service["image"].split(":", 1)[0]  # our tags are "${APP_VERSION:-dev}", which holds a colon


def interpolated(compose_text: str) -> list[re.Match]:
    """The ${...} references compose expands: comments are not interpolated, so they are skipped."""
    code = "\n".join(line for line in compose_text.splitlines() if not line.lstrip().startswith("#"))
    return list(INTERPOLATION.finditer(code))


def url_password(url: str) -> str | None:
    """The password part of scheme://user:password@host/..., where user and password may be ${...}."""
    references = []

    def stash(match: re.Match) -> str:
        references.append(match.group(0))
        return f"\0{len(references) - 1}\0"

    masked = INTERPOLATION.sub(stash, url)
    match = re.search(r"://[^:/@]+:(?P<password>[^@/]+)@", masked)
    if not match:
        return None
    return re.sub(r"\0(\d+)\0", lambda token: references[int(token.group(1))], match.group("password"))


# --- health and restarts ----------------------------------------------------------------------------------


def test_every_long_running_container_has_a_healthcheck(services):
    for name, svc in long_running(services).items():
        healthcheck = svc.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
        test = healthcheck["test"]
        assert test, f"{name}: empty healthcheck test"
        assert test[0] in ("CMD", "CMD-SHELL"), f"{name}: healthcheck test must be CMD or CMD-SHELL"
        for timing in ("interval", "timeout", "retries"):
            assert timing in healthcheck, f"{name}: healthcheck lacks {timing}"


def test_python_services_probe_their_readiness_endpoint_with_urllib(services):
    for name in DOMAIN_SERVICES:
        probe = " ".join(services[name]["healthcheck"]["test"])
        assert "urllib.request" in probe, f"{name} must probe with python's urllib"
        assert "/health'" in probe, f"{name} must probe GET /health (readiness), not liveness"
    assert "/api/health" in " ".join(services["gateway"]["healthcheck"]["test"])


def test_sync_worker_is_checked_by_its_own_heartbeat(services):
    assert services["sync-worker"]["healthcheck"]["test"] == ["CMD", "python", "-m", "sync.worker", "--live"]
    assert services["sync-worker"]["command"] == ["python", "-m", "sync.worker"]


def test_infrastructure_healthchecks_use_the_official_probes(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["rabbitmq"]["healthcheck"]["test"] == ["CMD", "rabbitmq-diagnostics", "-q", "ping"]


def test_long_running_containers_restart_unless_stopped(services):
    for name, svc in long_running(services).items():
        assert svc.get("restart") == "unless-stopped", f"{name} must restart unless-stopped"


def test_migrate_containers_run_once(services):
    for name, svc in services.items():
        if is_one_shot(name):
            # Quoted in YAML: a bare `no` would load as the boolean False.
            assert svc.get("restart") == "no", f"{name} must not be restarted"
            assert "healthcheck" not in svc, f"{name} exits; it has nothing to report"


# --- start order ------------------------------------------------------------------------------------------


def test_every_service_has_a_migrate_container_running_its_migrations(services):
    for name in DOMAIN_SERVICES:
        migrate = services.get(f"{name}-migrate")
        assert migrate, f"{name}-migrate is missing"
        assert migrate["command"] == ["python", "-m", f"{name}.migrate"]
        assert migrate["image"] == services[name]["image"], f"{name}-migrate must run the service's own image"
        assert environment_of(migrate) == environment_of(services[name]), (
            f"{name}-migrate must see the same configuration as {name}"
        )


def test_migrations_wait_for_locks_as_env_example_says(services, documented):
    for name in (n for n in services if n.endswith("-migrate")):
        env = environment_of(services[name])
        assert env["MIGRATION_LOCK_TIMEOUT"] == "${MIGRATION_LOCK_TIMEOUT:-500ms}"
        assert env["MIGRATION_LOCK_RETRIES"] == "${MIGRATION_LOCK_RETRIES:-8}"
    assert (documented["MIGRATION_LOCK_TIMEOUT"], documented["MIGRATION_LOCK_RETRIES"]) == ("500ms", "8")


def test_depends_on_waits_for_health_or_completion(services):
    for name, svc in services.items():
        depends_on = svc.get("depends_on") or {}
        assert isinstance(depends_on, dict), f"{name}: depends_on needs the long form with conditions"
        for dependency, spec in depends_on.items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            expected = "service_completed_successfully" if is_one_shot(dependency) else "service_healthy"
            assert spec.get("condition") == expected, f"{name} -> {dependency} must wait for {expected}"


def test_services_start_after_their_migrations_and_the_infrastructure(services):
    for name in DOMAIN_SERVICES:
        assert {f"{name}-migrate", "postgres", "rabbitmq"} <= set(services[name]["depends_on"]), name
        assert "postgres" in services[f"{name}-migrate"]["depends_on"], f"{name}-migrate needs the database"
    assert {"sync-migrate", "postgres", "rabbitmq"} <= set(services["sync-worker"]["depends_on"])
    assert set(DOMAIN_SERVICES) <= set(services["gateway"]["depends_on"])
    assert "gateway" in services["frontend"]["depends_on"]


# --- images and builds ------------------------------------------------------------------------------------


def test_postgres_and_rabbitmq_use_the_official_images(services):
    assert services["postgres"]["image"] == "postgres:15"
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    assert "build" not in services["postgres"]
    assert "build" not in services["rabbitmq"]


def test_our_images_are_tagged_with_the_app_version(services):
    for name, svc in services.items():
        if name in ("postgres", "rabbitmq"):
            continue
        assert re.fullmatch(r"shelfspace/[a-z-]+:\$\{APP_VERSION:-dev\}", svc["image"]), f"{name}: {svc['image']}"
    built = {image_repository(svc) for svc in services.values() if "build" in svc}
    assert built == {f"shelfspace/{name}" for name in BUILT_IMAGES}


def test_built_services_pass_release_metadata_as_build_args(services):
    for name, svc in services.items():
        if "build" not in svc:
            continue
        args = svc["build"].get("args") or {}
        for arg in BUILD_ARGS:
            assert arg in args, f"{name}: build arg {arg} missing"
            assert f"${{{arg}" in str(args[arg]), f"{name}: build arg {arg} must come from the environment"


def test_every_python_image_is_built_from_the_one_service_dockerfile(services):
    for name in (*DOMAIN_SERVICES, "gateway"):
        build = services[name]["build"]
        assert build["context"] == "."
        assert build["dockerfile"] == "deploy/docker/python-service.Dockerfile"
        assert build["args"]["SERVICE"] == name
    assert services["frontend"]["build"]["dockerfile"] == "deploy/docker/frontend.Dockerfile"


def test_containers_that_reuse_an_image_reuse_one_that_compose_builds(services):
    # Compose skips pulling an image another service builds; anything else would be pulled from a registry.
    built = {svc["image"] for svc in services.values() if "build" in svc}
    for name, svc in services.items():
        if "build" not in svc and svc["image"].startswith("shelfspace/"):
            assert svc["image"] in built, f"{name} runs {svc['image']}, which nothing builds"


def test_build_files_exist(services):
    for name, svc in services.items():
        if "build" in svc:
            assert (ROOT / svc["build"]["context"] / svc["build"]["dockerfile"]).is_file(), name
    assert (DOCKER_DIR / "nginx.conf").is_file()
    assert (DOCKER_DIR / "postgres-init.sh").is_file()


# --- resources and logs -----------------------------------------------------------------------------------


def test_long_running_containers_have_memory_and_cpu_limits(services):
    for name, svc in long_running(services).items():
        limits = (svc.get("deploy") or {}).get("resources", {}).get("limits", {})
        assert limits.get("memory"), f"{name} has no memory limit"
        assert limits.get("cpus"), f"{name} has no cpu limit"


def test_every_container_rotates_its_json_logs(services):
    for name, svc in services.items():
        logging = svc.get("logging") or {}
        assert logging.get("driver") == "json-file", f"{name} must log with json-file"
        options = logging.get("options") or {}
        assert options.get("max-size"), f"{name} must cap its log file size"
        assert options.get("max-file"), f"{name} must cap its number of log files"


# --- state ------------------------------------------------------------------------------------------------


def test_stateful_services_keep_their_data_in_named_volumes(compose, services):
    declared = set(compose.get("volumes") or {})
    expected = {"postgres": "/var/lib/postgresql/data", "rabbitmq": "/var/lib/rabbitmq"}
    for name, target in expected.items():
        mounts = [str(volume).split(":") for volume in services[name]["volumes"]]
        sources = [source for source, mount_target, *_ in mounts if mount_target == target]
        assert sources, f"{name} does not persist {target}"
        assert sources[0] in declared, f"{name}: {sources[0]} must be a named volume declared at top level"


def test_rabbitmq_keeps_a_fixed_hostname_so_its_data_survives_recreation(services):
    assert services["rabbitmq"].get("hostname") == "rabbitmq"


def test_postgres_first_start_runs_the_shelfspace_bootstrap(services):
    volumes = [str(volume) for volume in services["postgres"]["volumes"]]
    assert any(v.startswith("./deploy/docker/postgres-init.sh:/docker-entrypoint-initdb.d/") for v in volumes)
    assert any(v.startswith("./deploy/postgres/bootstrap.sh:") for v in volumes)
    env = environment_of(services["postgres"])
    for name in DOMAIN_SERVICES:
        assert f"{name.upper()}_DB_PASSWORD" in env, f"the bootstrap needs the {name} role's password"
    assert "SHELFSPACE_DB" in env


def test_each_service_connects_with_its_own_database_role(services):
    for name in DOMAIN_SERVICES:
        url = environment_of(services[name])["DATABASE_URL"]
        assert url.startswith(f"postgresql+asyncpg://shelfspace_{name}:${{{name.upper()}_DB_PASSWORD:?"), url
        assert "@postgres:5432/${POSTGRES_DB:-shelfspace}" in url


# --- secrets ----------------------------------------------------------------------------------------------


def test_no_literal_secret_values_in_the_compose_file(services):
    for name, svc in services.items():
        for key, value in environment_of(svc).items():
            optional = OPTIONAL_REFERENCE.match(value)
            if optional and optional.group(1) in OPTIONAL_SECRETS:
                continue
            if SECRET_NAME.search(key):
                assert REQUIRED_REFERENCE.match(value), (
                    f"{name}: {key} must be a required ${{VAR:?...}} reference, not {value!r}"
                )


def test_passwords_inside_connection_urls_are_required_references(services):
    checked = 0
    for name, svc in services.items():
        for key, value in environment_of(svc).items():
            password = url_password(value)
            if password is not None:
                checked += 1
                assert REQUIRED_REFERENCE.match(password), f"{name}: {key} embeds a literal password"
    assert checked, "expected DATABASE_URL and AMQP_URL values with credentials"


def test_secrets_are_never_given_defaults(compose_text):
    for match in interpolated(compose_text):
        variable, operator = match.group(1), match.group(2)
        if variable in OPTIONAL_SECRETS:
            assert match.group(0) == f"${{{variable}:-}}", f"{variable} may only default to empty"
        elif SECRET_NAME.search(variable):
            assert operator == ":?", f"${{{variable}}} must be required with :? and have no default"


def test_only_the_gateway_and_the_web_app_publish_ports(services):
    # Postgres, RabbitMQ and the domain services stay on the internal network.
    published = {name for name, svc in services.items() if svc.get("ports")}
    assert published == {"gateway", "frontend"}
    assert services["gateway"]["ports"] == ["${SHELFSPACE_PORT:-8080}:8080"]


# --- .env.example -----------------------------------------------------------------------------------------


def test_every_variable_the_compose_file_uses_is_documented_in_env_example(compose_text, documented):
    used = {match.group(1) for match in interpolated(compose_text)}
    missing = sorted(used - set(documented))
    assert not missing, f"document these in .env.example: {missing}"


def test_env_example_documents_every_variable_the_processes_read(documented):
    missing = sorted(set(DOCUMENTED_VARIABLES) - set(documented))
    assert not missing, f"document these in .env.example: {missing}"


def test_every_env_example_variable_has_a_comment(env_example_lines):
    for index, line in enumerate(env_example_lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", line):
            previous = env_example_lines[index - 1] if index else ""
            is_comment = previous.startswith("#") and not re.match(r"^#\s*[A-Z][A-Z0-9_]*=", previous)
            assert is_comment, f"{line.split('=')[0].lstrip('# ')} needs a one-line comment above it"


def test_env_example_ships_no_secret_values(documented, env_example_lines):
    for line in env_example_lines:
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)  # active lines only; commented ones are examples
        if match and SECRET_NAME.search(match.group(1)):
            assert match.group(2) == "", f"{match.group(1)} must be left empty for the operator to generate"


def test_env_example_explains_how_to_generate_secrets(env_example_lines):
    text = "\n".join(env_example_lines)
    assert "openssl rand -hex 32" in text
    assert "openssl rand -base64 32" in text
    assert "openssl genpkey -algorithm ed25519" in text


# --- images' own hygiene ----------------------------------------------------------------------------------


def test_python_dockerfile_is_multi_stage_slim_and_non_root():
    dockerfile = (DOCKER_DIR / "python-service.Dockerfile").read_text()
    assert "python:3.11-slim" in dockerfile
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2
    assert "COPY --from=builder /opt/venv /opt/venv" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users, "the runtime stage must switch to an unprivileged USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    for arg in ("SERVICE", *BUILD_ARGS):
        assert re.search(rf"^ARG {arg}\b", dockerfile, re.MULTILINE), f"ARG {arg} missing"
    for arg in BUILD_ARGS:
        assert re.search(rf"\b{arg}=\$\{{{arg}\}}", dockerfile), f"{arg} must become an env var"
    assert "org.opencontainers.image.version" in dockerfile
    for name in (*DOMAIN_SERVICES, "gateway"):
        assert re.search(rf"[|)\s]{name}[|)]", dockerfile), f"the Dockerfile does not handle SERVICE={name}"


def test_frontend_image_serves_with_unprivileged_nginx_and_a_health_endpoint():
    dockerfile = (DOCKER_DIR / "frontend.Dockerfile").read_text()
    assert "npm ci" in dockerfile
    assert "npm run build" in dockerfile
    assert "nginxinc/nginx-unprivileged" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users, "nginx must run under an unprivileged USER"
    assert users[-1] not in ("root", "0")
    nginx = (DOCKER_DIR / "nginx.conf").read_text()
    assert "location = /healthz" in nginx
    assert "try_files $uri $uri/ /index.html" in nginx, "client-side routes need the SPA fallback"
    assert re.search(r"location /api/ \{[^}]*proxy_pass \$gateway_upstream", nginx, re.DOTALL)
    assert "http://gateway:8080" in nginx


def test_dockerignore_keeps_environments_dependencies_and_secrets_out_of_the_build_context():
    entries = {line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line and not line.startswith("#")}
    for required in (".git", "**/.venv", "**/node_modules", "**/dist", "**/__pycache__", ".env"):
        assert required in entries, f".dockerignore must exclude {required}"
