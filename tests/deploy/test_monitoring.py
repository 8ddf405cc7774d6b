"""Specification of what the deployment ships for monitoring: ServiceMonitors and alert rules behind
switches, the Grafana dashboard, and the Postgres connection budget the chart computes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import helm_python as helm
import pytest
import yaml
from prometheus_client import CollectorRegistry

from shelfspace_kernel.db import create_engine
from shelfspace_kernel.metrics import ProcessMetrics
from sync.metrics import WorkerMetrics
from sync.settings import SyncSettings
from tests.deploy.test_helm import (
    CHART,
    DOMAIN_SERVICES,
    EXTERNAL,
    OPERATORS,
    RELEASE,
    deployment,
    env_of,
    merged,
    of_kind,
    render,
)

FILES = CHART / "files"
MONITORED = {"monitoring.coreos.com/v1"}


def exported_metric_names() -> set[str]:
    """Every series name the processes export (kernel metrics, the pool's, the sync worker's)."""
    metrics = WorkerMetrics(SyncSettings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none"))
    metrics.watch_pool(create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none", "sync"))
    names: set[str] = set()
    registry: CollectorRegistry = metrics.registry
    for family in registry.collect():
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}.get(family.type, [""])
        names |= {family.name + suffix for suffix in suffixes}
    return names


def named_metrics(expr: str) -> set[str]:
    return set(re.findall(r"\bshelfspace_[a-z_]+\b", expr))


def test_the_kernels_metrics_are_what_every_service_exports():
    assert {"shelfspace_http_requests_total", "shelfspace_db_pool_waiters"} <= exported_metric_names()
    assert isinstance(ProcessMetrics("x", "1").registry, CollectorRegistry)


def test_the_dashboard_parses_and_every_query_names_a_metric_the_processes_export():
    dashboard = json.loads((FILES / "grafana-dashboard.json").read_text())
    exported = exported_metric_names()

    queries = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    named = set().union(*(named_metrics(query) for query in queries))

    assert len(queries) >= 12
    assert named - exported == set()
    assert {"shelfspace_outbox_oldest_unsent_age_seconds", "shelfspace_sync_items_processed_total"} <= named


def test_every_alert_names_a_metric_the_processes_export_and_covers_the_failures_operators_watch():
    rules = yaml.safe_load((FILES / "alerts.yaml").read_text())["groups"][0]["rules"]
    exported = exported_metric_names()

    named = set().union(*(named_metrics(rule["expr"]) for rule in rules))

    assert named - exported == set()
    alerts = {rule["alert"] for rule in rules}
    expected = {"ShelfspaceHighErrorRate", "ShelfspaceSlowRequests", "ShelfspaceOutboxStuck", "ShelfspaceDeadLetters"}
    assert expected | {"ShelfspaceSyncJobsFailing", "ShelfspaceSyncWorkerStuck"} <= alerts
    assert all(rule["labels"]["severity"] in ("warning", "critical") for rule in rules)


def test_monitors_rules_and_the_dashboard_are_off_by_default():
    documents = render(EXTERNAL)
    assert not [doc for doc in documents if doc["apiVersion"] in MONITORED]
    assert f"{RELEASE}-shelfspace-dashboard" not in of_kind(documents, "ConfigMap")


def test_switched_on_every_process_is_scraped_where_it_serves_metrics():
    values = merged(EXTERNAL, {"metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "kps"}}}})
    documents = render(values)

    monitors = of_kind(documents, "ServiceMonitor")
    services = of_kind(documents, "Service")
    assert set(monitors) == {f"{RELEASE}-shelfspace-{name}" for name in (*DOMAIN_SERVICES, "gateway")}
    for name, monitor in monitors.items():
        assert monitor["metadata"]["labels"]["release"] == "kps"
        endpoint = monitor["spec"]["endpoints"][0]
        assert endpoint["path"] == "/metrics"
        assert endpoint["port"] in {port["name"] for port in services[name]["spec"]["ports"]}
        assert monitor["spec"]["selector"]["matchLabels"] == services[name]["spec"]["selector"]
    assert monitors[f"{RELEASE}-shelfspace-gateway"]["spec"]["endpoints"][0]["port"] == "metrics"
    worker = of_kind(documents, "PodMonitor")[f"{RELEASE}-shelfspace-sync-worker"]
    worker_pod = deployment(documents, "sync-worker")["spec"]["template"]
    assert worker["spec"]["selector"]["matchLabels"].items() <= worker_pod["metadata"]["labels"].items()
    container = worker_pod["spec"]["containers"][0]
    assert {"name": "metrics", "containerPort": 9101} in container["ports"]
    assert env_of(container)["WORKER_METRICS_PORT"]["value"] == "9101"
    gateway = deployment(documents, "gateway")["spec"]["template"]["spec"]["containers"][0]
    assert env_of(gateway)["GATEWAY_METRICS_PORT"]["value"] == "9100"


def test_switched_on_the_alert_rules_and_the_dashboard_are_installed_as_shipped():
    values = merged(EXTERNAL, {"metrics": {"rules": {"enabled": True}, "dashboard": {"enabled": True}}})
    documents = render(values)

    rule = of_kind(documents, "PrometheusRule")[f"{RELEASE}-shelfspace-alerts"]
    shipped = yaml.safe_load((FILES / "alerts.yaml").read_text())
    assert rule["spec"] == shipped
    dashboard = of_kind(documents, "ConfigMap")[f"{RELEASE}-shelfspace-dashboard"]
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert json.loads(dashboard["data"]["shelfspace.json"]) == json.loads(
        (FILES / "grafana-dashboard.json").read_text()
    )


def connection_demand(values: dict) -> int:
    """What the chart's budget counts, computed here from the rendered objects."""
    documents = render(values)
    hpas = of_kind(documents, "HorizontalPodAutoscaler")
    total = 0
    for service in DOMAIN_SERVICES:
        name = f"{RELEASE}-shelfspace-{service}"
        replicas = (
            hpas[name]["spec"]["maxReplicas"] if name in hpas else deployment(documents, service)["spec"]["replicas"]
        )
        pool = int(
            env_of(deployment(documents, service)["spec"]["template"]["spec"]["containers"][0])["DB_POOL_SIZE"]["value"]
        )
        total += replicas * (pool + 1)
    return total + deployment(documents, "sync-worker")["spec"]["replicas"] * 6


def test_by_default_autoscaling_fits_a_default_postgres_connection_limit():
    assert connection_demand(EXTERNAL) <= 100 - 10


def test_autoscaling_past_the_connection_budget_stops_the_install_with_the_numbers():
    values = merged(EXTERNAL, {"serviceDefaults": {"autoscaling": {"maxReplicas": 6}, "dbPoolSize": 8}})
    with pytest.raises(helm.HelmError, match=r"connection budget: .* up to 276 Postgres connections.* leaves 90"):
        render(values)


def test_a_bigger_server_or_warn_mode_lets_such_an_install_through_and_says_so():
    values = merged(EXTERNAL, {"serviceDefaults": {"autoscaling": {"maxReplicas": 6}, "dbPoolSize": 8}})
    assert render(merged(values, {"postgresql": {"maxConnections": 300}}))
    warned = merged(values, {"postgresql": {"connectionBudget": "warn"}})
    with helm.Chart.load(CHART) as chart:
        manifests = chart.render(warned, name=RELEASE, namespace="media", is_install=True, is_upgrade=False)
    notes = next(text for path, text in manifests.items() if path.endswith("NOTES.txt"))
    assert "up to 276 at every autoscaler's maximum, of 90 available" in notes
    assert "WARNING: autoscaling can open more Postgres connections" in notes


POOLED = merged(OPERATORS, {"postgresql": {"cloudnativepg": {"pooler": {"enabled": True}}}})


def test_with_the_pooler_on_the_services_connect_through_it_and_migrations_to_the_primary():
    documents = render(POOLED)
    (pooler,) = of_kind(documents, "Pooler").values()
    assert pooler["spec"]["pgbouncer"]["poolMode"] == "session"
    assert pooler["spec"]["cluster"]["name"] == f"{RELEASE}-shelfspace-pg"
    for service in DOMAIN_SERVICES:
        spec = deployment(documents, service)["spec"]["template"]["spec"]
        assert f"@{pooler['metadata']['name']}:5432/" in env_of(spec["containers"][0])["DATABASE_URL"]["value"]
        assert f"@{RELEASE}-shelfspace-pg-rw:5432/" in env_of(spec["initContainers"][0])["DATABASE_URL"]["value"]
    assert not of_kind(render(OPERATORS), "Pooler")


def test_with_the_pooler_on_the_budget_counts_its_client_and_server_limits():
    wide = {"serviceDefaults": {"autoscaling": {"maxReplicas": 6}, "dbPoolSize": 8}}
    assert render(merged(POOLED, wide))  # 276 clients of 400; 2 x 8 x 5 = 80 server connections of 90
    with pytest.raises(
        helm.HelmError, match=r"up to 276 connections to the pooler, but its maxClientConnections is 200"
    ):
        render(merged(POOLED, {**wide, "postgresql": {"cloudnativepg": {"pooler": {"maxClientConnections": 200}}}}))
    with pytest.raises(helm.HelmError, match=r"the pooler opens up to 150 Postgres connections.* leaves 90"):
        render(merged(POOLED, {"postgresql": {"cloudnativepg": {"pooler": {"instances": 3, "defaultPoolSize": 10}}}}))


def test_each_service_gets_its_pool_size_and_tracing_only_when_an_endpoint_is_set():
    plain = render(EXTERNAL)
    traced = render(
        merged(EXTERNAL, {"tracing": {"otlpEndpoint": "http://otel:4318"}, "services": {"library": {"dbPoolSize": 6}}})
    )

    library = env_of(deployment(traced, "library")["spec"]["template"]["spec"]["containers"][0])
    assert library["DB_POOL_SIZE"]["value"] == "6"
    assert library["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"] == "http://otel:4318"
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in env_of(
        deployment(plain, "library")["spec"]["template"]["spec"]["containers"][0]
    )
    assert Path(FILES / "alerts.yaml").is_file()
