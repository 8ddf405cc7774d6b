import { useCallback, useEffect, useRef, useState } from 'react';
import { debounce } from './debounce';

export type Resource<T> =
  | { kind: 'loading'; data?: undefined; error?: undefined }
  | { kind: 'ready'; data: T; error?: undefined }
  | { kind: 'failed'; error: unknown; data?: undefined };

/** Loads data on mount and whenever `deps` change; `reload` asks again, `set` replaces the data. */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): { state: Resource<T>; reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<Resource<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((current) => (current.kind === 'ready' ? current : { kind: 'loading' }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ kind: 'ready', data }),
      (error: unknown) => !controller.signal.aborted && setState({ kind: 'failed', error }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt, ...deps]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ kind: 'ready', data }), []);
  return { state, reload, set };
}

/** Runs a user action: tracks busy and the last error; resolves to the result or undefined on failure. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear };
}

/** The value, once it has stopped changing for `wait` ms. */
export function useDebouncedValue<T>(value: T, wait: number): T {
  const [settled, setSettled] = useState(value);
  const debounced = useRef(debounce((next: T) => setSettled(next), wait));
  useEffect(() => {
    debounced.current(value);
  }, [value]);
  useEffect(() => () => debounced.current.cancel(), []);
  return settled;
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Shelfspace` : 'Shelfspace';
  }, [title]);
}

/** Actions on the rows of a list: which row is busy, the last error, a notice when done. */
export function useRowAction(notify: (message: string) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = useCallback(
    async (rowId: string, action: () => Promise<unknown>, done: string): Promise<boolean> => {
      setBusy(rowId);
      setError(null);
      try {
        await action();
        notify(done);
        return true;
      } catch (caught) {
        setError(caught);
        return false;
      } finally {
        setBusy(null);
      }
    },
    [notify],
  );
  return { busy, error, act };
}
