import { HealthPage } from '../health/HealthPage';
import { useHealth } from '../health/useHealth';
import { Nav } from './Nav';

export function App() {
  const { state, reload } = useHealth();
  const health = state.kind === 'ready' ? state.health : undefined;

  return (
    <>
      <Nav health={health} />
      <main className="main" id="main">
        <HealthPage state={state} onRetry={reload} />
      </main>
    </>
  );
}
