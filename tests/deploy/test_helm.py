"""Specification of the Kubernetes deployment (deploy/helm/shelfspace).

The chart is rendered and linted by Helm's own engine (the helm-python-sdk wheel bundles it), offline, so
these tests check what `helm install` would send to a cluster: probes, resources, secrets, autoscaling,
migrations and the wiring to Postgres and RabbitMQ in each supported mode.
"""

from __future__ import annotations

import copy
from pathlib import Path

import helm_python as helm
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "shelfspace"
DOMAIN_SERVICES = ("identity", "library", "integrations", "sync", "audit")
RELEASE = "demo"
SECRET_KEYS = {
    "GATEWAY_INTERNAL_AUTH_PRIVATE_KEY",
    "SYNC_INTERNAL_AUTH_PRIVATE_KEY",
    "INTERNAL_AUTH_PUBLIC_KEYS",
    "INTEGRATION_ENCRYPTION_KEY",
    "AMQP_PASSWORD",
    *(f"{service.upper()}_DB_PASSWORD" for service in DOMAIN_SERVICES),
}
SECRET_VALUES = {
    "internalAuthPrivateKeys": {
        signer: f"-----BEGIN PRIVATE KEY-----\nprivate-{signer}-test\n-----END PRIVATE KEY-----\n"
        for signer in ("gateway", "sync")
    },
    "internalAuthPublicKeys": "gateway:public-gateway-test sync:public-sync-test",
    "integrationEncryptionKey": "ZW5jcnlwdGlvbi1rZXktZm9yLXRlc3RzLW9ubHktMzI=",
    "databasePasswords": {service: f"pw-{service}-0123456789abcdef" for service in DOMAIN_SERVICES},
    "amqpPassword": "pw-amqp-0123456789abcdef",
}
EXTERNAL = {
    "secrets": SECRET_VALUES,
    "postgresql": {"mode": "external", "external": {"host": "db.internal"}},
    "rabbitmq": {"mode": "external", "external": {"host": "mq.internal", "vhost": "shelfspace"}},
}
OPERATORS = {
    "secrets": {k: v for k, v in SECRET_VALUES.items() if k != "amqpPassword"},
    "postgresql": {"mode": "cloudnativepg"},
    "rabbitmq": {"mode": "operator"},
}


# --- rendering helpers ------------------------------------------------------------------------------------


def merged(base: dict, override: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def render(values: dict, *, upgrade: bool = False) -> list[dict]:
    with helm.Chart.load(CHART) as chart:
        manifests = chart.render(values, name=RELEASE, namespace="media", is_install=not upgrade, is_upgrade=upgrade)
    documents = []
    for path, text in manifests.items():
        if path.endswith(".yaml"):
            documents.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return documents


def of_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == kind}


def deployment(documents: list[dict], component: str) -> dict:
    return of_kind(documents, "Deployment")[f"{RELEASE}-shelfspace-{component}"]


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def all_containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def env_of(container: dict) -> dict[str, dict]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def workloads(documents: list[dict]) -> list[dict]:
    return [doc for doc in documents if doc["kind"] in ("Deployment", "Job")]


@pytest.fixture(scope="module")
def external() -> list[dict]:
    return render(EXTERNAL)


@pytest.fixture(scope="module")
def operators() -> list[dict]:
    return render(OPERATORS)


# --- the chart as a whole ---------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [EXTERNAL, OPERATORS], ids=["external", "operators"])
def test_the_chart_passes_helm_lint_in_strict_mode(values):
    report = helm.lint(CHART, values, strict=True, kube_version="v1.29.0")
    errors = [message for message in report["messages"] if message["severity"] >= 2]
    assert not report["errors"], report["errors"]
    assert not errors, errors


def test_the_chart_and_its_images_carry_the_release_version(external):
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    version = (ROOT / "VERSION").read_text().strip()
    assert chart["version"] == version
    assert chart["appVersion"] == version
    for workload in workloads(external):
        for container in all_containers(workload):
            assert container["image"].endswith(f":{version}"), container["image"]


def test_a_deployment_runs_one_process_per_component(external):
    expected = {f"{RELEASE}-shelfspace-{name}" for name in (*DOMAIN_SERVICES, "gateway", "sync-worker", "frontend")}
    assert set(of_kind(external, "Deployment")) == expected
    commands = {
        name: pod_spec(d)["containers"][0].get("command") for name, d in of_kind(external, "Deployment").items()
    }
    for service in DOMAIN_SERVICES:
        assert commands[f"{RELEASE}-shelfspace-{service}"] == ["python", "-m", service]
        assert deployment(external, service)["spec"]["template"]["spec"]["containers"][0]["image"].startswith(
            f"shelfspace/{service}:"
        )
    assert commands[f"{RELEASE}-shelfspace-gateway"] == ["python", "-m", "gateway"]
    assert commands[f"{RELEASE}-shelfspace-sync-worker"] == ["python", "-m", "sync.worker"]
    assert pod_spec(deployment(external, "sync-worker"))["containers"][0]["image"].startswith("shelfspace/sync:")


def test_each_deployment_selects_exactly_its_own_pods(external):
    selectors = []
    for name, workload in of_kind(external, "Deployment").items():
        selector = workload["spec"]["selector"]["matchLabels"]
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), name
        selectors.append(tuple(sorted(selector.items())))
    assert len(selectors) == len(set(selectors)), "two Deployments would claim the same pods"


def test_every_service_the_gateway_and_the_web_app_are_reachable_by_a_service(external):
    services = of_kind(external, "Service")
    for component in (*DOMAIN_SERVICES, "gateway", "frontend"):
        service = services[f"{RELEASE}-shelfspace-{component}"]
        assert service["spec"]["selector"] == deployment(external, component)["spec"]["selector"]["matchLabels"]
    assert f"{RELEASE}-shelfspace-sync-worker" not in services, "the worker serves no HTTP"


# --- probes -----------------------------------------------------------------------------------------------


def http_probe(container: dict, kind: str) -> str:
    return container[kind]["httpGet"]["path"]


def test_services_are_ready_when_their_dependencies_are_and_alive_while_the_process_runs(external):
    for service in DOMAIN_SERVICES:
        container = pod_spec(deployment(external, service))["containers"][0]
        assert http_probe(container, "readinessProbe") == "/health", service
        assert http_probe(container, "livenessProbe") == "/health/live", service
        assert container["readinessProbe"]["httpGet"]["port"] == "http"
        assert {"name": "http", "containerPort": 8000} in container["ports"]


def test_the_gateway_and_the_web_app_probe_their_own_endpoints(external):
    gateway = pod_spec(deployment(external, "gateway"))["containers"][0]
    assert http_probe(gateway, "readinessProbe") == "/api/health/live"
    assert http_probe(gateway, "livenessProbe") == "/api/health/live"
    frontend = pod_spec(deployment(external, "frontend"))["containers"][0]
    assert http_probe(frontend, "readinessProbe") == "/healthz"
    assert http_probe(frontend, "livenessProbe") == "/healthz"


def test_the_sync_worker_is_ready_with_its_database_and_alive_by_its_own_heartbeat(external):
    worker = pod_spec(deployment(external, "sync-worker"))["containers"][0]
    assert worker["readinessProbe"]["exec"]["command"] == ["python", "-m", "sync.worker", "--check"]
    assert worker["livenessProbe"]["exec"]["command"] == ["python", "-m", "sync.worker", "--live"]


# --- resources and hardening ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["initContainers", "job"])
def test_every_container_declares_resource_requests_and_limits(mode):
    values = merged(EXTERNAL, {"migrations": {"mode": mode}, "secrets": {"existingSecret": "shelfspace-keys"}})
    for workload in workloads(render(values)):
        for container in all_containers(workload):
            resources = container.get("resources") or {}
            where = f"{workload['metadata']['name']}/{container['name']}"
            assert resources.get("requests", {}).get("cpu"), f"{where}: no cpu request"
            assert resources.get("requests", {}).get("memory"), f"{where}: no memory request"
            assert resources.get("limits", {}).get("memory"), f"{where}: no memory limit"


def test_every_process_runs_unprivileged_with_a_read_only_root(external):
    for workload in workloads(external):
        assert pod_spec(workload)["securityContext"]["runAsNonRoot"] is True
        assert pod_spec(workload)["automountServiceAccountToken"] is False
        for container in all_containers(workload):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["readOnlyRootFilesystem"] is True
            assert context["capabilities"]["drop"] == ["ALL"]


# --- secrets ----------------------------------------------------------------------------------------------


def secret_refs(documents: list[dict]) -> list[tuple[str, dict]]:
    refs = []
    for workload in workloads(documents):
        for container in all_containers(workload):
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.append((entry["name"], ref))
    return refs


def test_secrets_reach_the_processes_only_through_secret_key_refs(external):
    literal_secrets = {
        *SECRET_VALUES["internalAuthPrivateKeys"].values(),
        SECRET_VALUES["internalAuthPublicKeys"],
        SECRET_VALUES["integrationEncryptionKey"],
        SECRET_VALUES["amqpPassword"],
        *SECRET_VALUES["databasePasswords"].values(),
    }
    for workload in workloads(external):
        text = yaml.safe_dump(workload)
        for value in literal_secrets:
            assert value.strip() not in text, f"{workload['metadata']['name']} embeds a secret value"
    names = {name for name, _ in secret_refs(external)}
    assert {
        "INTERNAL_AUTH_PUBLIC_KEYS",
        "INTERNAL_AUTH_PRIVATE_KEY",
        "INTEGRATION_ENCRYPTION_KEY",
        "DB_PASSWORD",
    } <= names


def test_every_secret_key_ref_points_at_a_key_of_the_charts_secret(external):
    secret = of_kind(external, "Secret")[f"{RELEASE}-shelfspace-secrets"]
    assert set(secret["stringData"]) == SECRET_KEYS
    for name, ref in secret_refs(external):
        assert ref["name"] == f"{RELEASE}-shelfspace-secrets", name
        assert ref["key"] in secret["stringData"] or ref.get("optional") is True, f"{name} -> missing {ref['key']}"


def test_each_signer_gets_its_own_private_key_and_every_service_the_public_keys(external):
    signers = {}
    for workload in workloads(external):
        for container in all_containers(workload):
            if key := env_of(container).get("INTERNAL_AUTH_PRIVATE_KEY"):
                signers[workload["metadata"]["name"]] = key["valueFrom"]["secretKeyRef"]["key"]
            assert "INTERNAL_AUTH_PUBLIC_KEYS" in env_of(container) or workload["metadata"]["name"].endswith("frontend")
    assert signers == {
        f"{RELEASE}-shelfspace-gateway": "GATEWAY_INTERNAL_AUTH_PRIVATE_KEY",
        f"{RELEASE}-shelfspace-sync": "SYNC_INTERNAL_AUTH_PRIVATE_KEY",
        f"{RELEASE}-shelfspace-sync-worker": "SYNC_INTERNAL_AUTH_PRIVATE_KEY",
    }
    assert "INTEGRATION_ENCRYPTION_KEY" in env_of(pod_spec(deployment(external, "integrations"))["containers"][0])
    assert "INTEGRATION_ENCRYPTION_KEY" not in env_of(pod_spec(deployment(external, "library"))["containers"][0])


@pytest.mark.parametrize(
    ("values", "broker"),
    [(EXTERNAL, "mq.internal:5672"), (OPERATORS, f"{RELEASE}-shelfspace-mq:5672")],
    ids=["external", "operators"],
)
def test_the_integrations_service_refuses_this_releases_own_endpoints_as_providers(values, broker):
    env = env_of(pod_spec(deployment(render(values), "integrations"))["containers"][0])

    internal = env["OUTBOUND_INTERNAL_ENDPOINTS"]["value"].split(",")
    assert f"{RELEASE}-shelfspace-gateway:8080" in internal
    assert {f"{RELEASE}-shelfspace-{name}:8000" for name in DOMAIN_SERVICES} <= set(internal)
    assert broker in internal
    assert broker.replace(":5672", ":15672") in internal
    assert any(entry.endswith(":5432") for entry in internal)
    assert env["OUTBOUND_ALLOWED_NETWORKS"]["value"] == ""


def test_an_existing_secret_replaces_the_charts_own():
    values = merged(EXTERNAL, {"secrets": {"existingSecret": "shelfspace-keys"}})
    values["secrets"] = {"existingSecret": "shelfspace-keys"}
    documents = render(values)
    assert not of_kind(documents, "Secret")
    assert {ref["name"] for _, ref in secret_refs(documents)} == {"shelfspace-keys"}


def test_a_missing_secret_stops_the_install_with_a_message_naming_it():
    values = merged(EXTERNAL, {"secrets": {"integrationEncryptionKey": ""}})
    with pytest.raises(helm.HelmError, match=r"secrets\.integrationEncryptionKey is required"):
        render(values)


def test_changing_a_secret_rolls_the_pods_that_read_it(external):
    changed = render(merged(EXTERNAL, {"secrets": {"databasePasswords": {"library": "pw-rotated-0123456789"}}}))
    before = deployment(external, "library")["spec"]["template"]["metadata"]["annotations"]["checksum/secrets"]
    after = deployment(changed, "library")["spec"]["template"]["metadata"]["annotations"]["checksum/secrets"]
    assert before != after


# --- autoscaling ------------------------------------------------------------------------------------------


def test_the_stateless_parts_autoscale_on_cpu_and_the_worker_does_not(external):
    hpas = of_kind(external, "HorizontalPodAutoscaler")
    expected = {f"{RELEASE}-shelfspace-{name}" for name in (*DOMAIN_SERVICES, "gateway", "frontend")}
    assert set(hpas) == expected
    for name, hpa in hpas.items():
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        assert "replicas" not in of_kind(external, "Deployment")[name]["spec"], f"{name}: the HPA owns replicas"
    assert deployment(external, "sync-worker")["spec"]["replicas"] == 1


def test_autoscaling_can_be_turned_off_per_service():
    documents = render(merged(EXTERNAL, {"services": {"audit": {"autoscaling": {"enabled": False}, "replicas": 2}}}))
    assert f"{RELEASE}-shelfspace-audit" not in of_kind(documents, "HorizontalPodAutoscaler")
    assert deployment(documents, "audit")["spec"]["replicas"] == 2
    assert f"{RELEASE}-shelfspace-library" in of_kind(documents, "HorizontalPodAutoscaler")


# --- migrations -------------------------------------------------------------------------------------------


def test_by_default_each_pod_migrates_its_service_before_it_starts(external):
    for component, service in [*((s, s) for s in DOMAIN_SERVICES), ("sync-worker", "sync")]:
        spec = pod_spec(deployment(external, component))
        (init,) = spec["initContainers"]
        assert init["command"] == ["python", "-m", f"{service}.migrate"]
        assert init["image"] == f"shelfspace/{service}:{(ROOT / 'VERSION').read_text().strip()}"
        assert env_of(init)["DATABASE_URL"] == env_of(spec["containers"][0])["DATABASE_URL"]
    assert not of_kind(external, "Job")


def test_migrations_wait_for_locks_as_long_as_the_values_say():
    for values, timeout, retries in [(EXTERNAL, "500ms", "8"), (merged(EXTERNAL, {"migrations": {
        "lockTimeout": "2s", "lockRetries": 3}}), "2s", "3")]:  # fmt: skip
        for init in (pod_spec(deployment(render(values), s))["initContainers"][0] for s in DOMAIN_SERVICES):
            assert env_of(init)["MIGRATION_LOCK_TIMEOUT"]["value"] == timeout
            assert env_of(init)["MIGRATION_LOCK_RETRIES"]["value"] == retries


def test_job_mode_migrates_every_service_in_order_before_an_install_or_upgrade_rolls_out():
    values = merged(EXTERNAL, {"migrations": {"mode": "job"}, "secrets": {"existingSecret": "shelfspace-keys"}})
    for upgrade in (False, True):
        documents = render(values, upgrade=upgrade)
        (job,) = of_kind(documents, "Job").values()
        hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
        assert hooks == {"pre-install", "pre-upgrade"}
        commands = [c["command"] for c in all_containers(job)]
        assert commands == [["python", "-m", f"{service}.migrate"] for service in DOMAIN_SERVICES]
        assert pod_spec(job)["restartPolicy"] == "Never"
        for deployed in of_kind(documents, "Deployment").values():
            assert "initContainers" not in pod_spec(deployed)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"secrets": {"existingSecret": ""}}, "needs secrets.existingSecret"),
        (
            {"postgresql": {"mode": "cloudnativepg"}, "secrets": {"existingSecret": "k"}},
            "needs postgresql.mode=external",
        ),
    ],
)
def test_job_mode_refuses_setups_where_the_hook_would_run_too_early(override, message):
    with pytest.raises(helm.HelmError, match=message):
        render(merged(EXTERNAL, {"migrations": {"mode": "job"}, **override}))


# --- Postgres and RabbitMQ --------------------------------------------------------------------------------


def test_external_servers_are_reached_with_each_services_own_role(external):
    for service in DOMAIN_SERVICES:
        env = env_of(pod_spec(deployment(external, service))["containers"][0])
        assert env["DB_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == f"{service.upper()}_DB_PASSWORD"
        assert env["DATABASE_URL"]["value"] == (
            f"postgresql+asyncpg://shelfspace_{service}:$(DB_PASSWORD)@db.internal:5432/shelfspace"
        )
        assert env["AMQP_URL"]["value"] == "amqp://shelfspace:$(AMQP_PASSWORD)@mq.internal:5672/shelfspace"
        names = [entry["name"] for entry in pod_spec(deployment(external, service))["containers"][0]["env"]]
        # Kubernetes expands $(VAR) only from variables defined earlier in the list.
        assert names.index("DB_PASSWORD") < names.index("DATABASE_URL")
        assert names.index("AMQP_PASSWORD") < names.index("AMQP_URL")
    assert not of_kind(external, "Cluster")
    assert not of_kind(external, "RabbitmqCluster")


def test_external_mode_needs_the_server_addresses():
    with pytest.raises(helm.HelmError, match=r"postgresql\.external\.host is required"):
        render(merged(EXTERNAL, {"postgresql": {"external": {"host": ""}}}))


def test_the_default_vhost_is_url_encoded():
    documents = render(merged(EXTERNAL, {"rabbitmq": {"external": {"vhost": "/"}}}))
    env = env_of(pod_spec(deployment(documents, "audit"))["containers"][0])
    assert env["AMQP_URL"]["value"].endswith("@mq.internal:5672/%2F")


def test_cloudnativepg_mode_creates_the_database_schemas_and_roles(operators):
    (cluster,) = of_kind(operators, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    sql = "\n".join(cluster["spec"]["bootstrap"]["initdb"]["postInitApplicationSQL"])
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions" in sql
    assert "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA extensions" in sql
    assert "CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA extensions" in sql
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    secrets = of_kind(operators, "Secret")
    for service in DOMAIN_SERVICES:
        assert f"CREATE SCHEMA {service} AUTHORIZATION shelfspace_{service}" in sql
        assert f"SET search_path = {service}, extensions" in sql
        role_secret = secrets[roles[f"shelfspace_{service}"]["passwordSecret"]["name"]]
        assert role_secret["type"] == "kubernetes.io/basic-auth"
        assert role_secret["stringData"] == {
            "username": f"shelfspace_{service}",
            "password": SECRET_VALUES["databasePasswords"][service],
        }
        env = env_of(pod_spec(deployment(operators, service))["containers"][0])
        assert f"@{cluster['metadata']['name']}-rw:5432/shelfspace" in env["DATABASE_URL"]["value"]


def test_rabbitmq_operator_mode_reads_the_generated_default_user(operators):
    (broker,) = of_kind(operators, "RabbitmqCluster").values()
    name = broker["metadata"]["name"]
    env = env_of(pod_spec(deployment(operators, "library"))["containers"][0])
    for variable, key in (("AMQP_USERNAME", "username"), ("AMQP_PASSWORD", "password")):
        assert env[variable]["valueFrom"]["secretKeyRef"] == {"name": f"{name}-default-user", "key": key}
    assert env["AMQP_URL"]["value"] == f"amqp://$(AMQP_USERNAME):$(AMQP_PASSWORD)@{name}:5672/%2F"
    assert "AMQP_PASSWORD" not in of_kind(operators, "Secret")[f"{RELEASE}-shelfspace-secrets"]["stringData"]


# --- the edge ---------------------------------------------------------------------------------------------


def test_the_gateway_finds_every_service_and_the_web_app_finds_the_gateway(external):
    gateway = env_of(pod_spec(deployment(external, "gateway"))["containers"][0])
    for service in DOMAIN_SERVICES:
        assert gateway[f"{service.upper()}_URL"]["value"] == f"http://{RELEASE}-shelfspace-{service}:8000"
    assert gateway["SESSION_COOKIE_SECURE"]["value"] == "true"
    config = of_kind(external, "ConfigMap")[f"{RELEASE}-shelfspace-frontend"]["data"]["default.conf"]
    assert f"proxy_pass http://{RELEASE}-shelfspace-gateway:8080;" in config
    assert "location = /healthz" in config


def test_identity_which_sets_the_session_cookies_and_the_gateway_which_reads_them_get_one_setting():
    values = {"config": {"sessionCookieSecure": False, "sessionLifetimeSeconds": 2592000}}
    documents = render(merged(EXTERNAL, values))
    gateway = env_of(pod_spec(deployment(documents, "gateway"))["containers"][0])
    identity = env_of(pod_spec(deployment(documents, "identity"))["containers"][0])
    assert gateway["SESSION_COOKIE_SECURE"]["value"] == identity["SESSION_COOKIE_SECURE"]["value"] == "false"
    assert identity["SESSION_IDLE_TIMEOUT_SECONDS"]["value"] == "604800"
    assert identity["SESSION_LIFETIME_SECONDS"]["value"] == "2592000"  # whole seconds, not 2.592e+06


def test_the_ingress_sends_api_calls_to_the_gateway_and_pages_to_the_web_app():
    documents = render(merged(EXTERNAL, {"ingress": {"enabled": True, "host": "media.example.org"}}))
    (ingress,) = of_kind(documents, "Ingress").values()
    paths = {p["path"]: p["backend"]["service"]["name"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    assert paths == {"/api": f"{RELEASE}-shelfspace-gateway", "/": f"{RELEASE}-shelfspace-frontend"}
