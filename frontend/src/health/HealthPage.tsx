import type { HealthStatus, ServiceHealth } from '../api/types';
import type { HealthState } from './useHealth';

const STATUS_LABELS: Record<HealthStatus, string> = {
  ok: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
};

function StatusBadge({ status }: { status: HealthStatus }) {
  return <span className={`status status-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

function ServiceItem({ name, service }: { name: string; service: ServiceHealth }) {
  return (
    <li className="service">
      <span className="service-name">
        {name}
        <span className="visually-hidden">:</span>
      </span>
      <StatusBadge status={service.status} />
      {service.version && <span className="service-version">Version {service.version}</span>}
    </li>
  );
}

interface HealthPageProps {
  state: HealthState;
  onRetry: () => void;
}

export function HealthPage({ state, onRetry }: HealthPageProps) {
  const services =
    state.kind === 'ready'
      ? Object.entries(state.health.services ?? {}).sort(([a], [b]) => a.localeCompare(b))
      : [];

  return (
    <section className="panel" aria-labelledby="health-title">
      <h1 id="health-title">System status</h1>
      {state.kind === 'loading' && <p role="status">Checking services…</p>}
      {state.kind === 'failed' && (
        <div role="alert" className="error">
          <p>Could not load the status: {state.error.message}</p>
          {state.error.requestId && <p className="muted">Request id: {state.error.requestId}</p>}
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
      {state.kind === 'ready' && (
        <>
          <p className="overall">
            Overall: <StatusBadge status={state.health.status} />
          </p>
          {state.health.checked_at && (
            <p className="muted">Checked at {new Date(state.health.checked_at).toLocaleTimeString()}</p>
          )}
          <h2 id="services-title">Services</h2>
          {services.length === 0 ? (
            <p className="muted">No services reported.</p>
          ) : (
            <ul className="services" aria-labelledby="services-title">
              {services.map(([name, service]) => (
                <ServiceItem key={name} name={name} service={service} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
