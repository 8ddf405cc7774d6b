import { useSyncExternalStore } from 'react';
import { listViews, type SavedView } from '../api/tags';
import { useResource, type Resource } from '../app/hooks';

/** Saved views are read by the navigation and changed on the library page: a change asks both to read them again. */
let version = 0;
const listeners = new Set<() => void>();

export function viewsChanged(): void {
  version += 1;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The caller's saved views and the space's shared ones; none for viewers (the server refuses them). */
export function useSavedViews(enabled: boolean, spaceId: string): Resource<SavedView[]> {
  const current = useSyncExternalStore(subscribe, () => version);
  const { state } = useResource(
    async (signal) => (enabled ? (await listViews(undefined, signal)).items : []),
    [enabled, spaceId, current],
  );
  return state;
}

/** The saved view whose query is the one shown, if any. */
export function viewShowing(views: SavedView[], query: string): SavedView | undefined {
  return views.find((view) => view.query === query);
}
