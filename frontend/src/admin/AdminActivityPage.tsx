import { useCallback } from 'react';
import { activityExportUrl, globalActivity, globalActivityFacets } from '../api/admin';
import type { ActivityFilters } from '../api/spaces';
import { Page } from '../app/ui';
import { ActivityView } from '../space/ActivityView';

export function AdminActivityPage() {
  const load = useCallback((filters: ActivityFilters, cursor: string | null) => globalActivity(filters, cursor), []);
  const loadFacets = useCallback(() => globalActivityFacets(), []);
  return (
    <Page title="All activity">
      <ActivityView load={load} loadFacets={loadFacets} withSpaceColumn exportHref={activityExportUrl} />
    </Page>
  );
}
