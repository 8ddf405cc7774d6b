import { useCallback } from 'react';
import { activityExportUrl, globalActivity } from '../api/admin';
import type { ActivityFilters } from '../api/spaces';
import { Page } from '../app/ui';
import { ActivityView } from '../space/ActivityView';

export function AdminActivityPage() {
  const load = useCallback((filters: ActivityFilters, cursor: string | null) => globalActivity(filters, cursor), []);
  return (
    <Page title="All activity">
      <ActivityView load={load} withSpaceFilter exportHref={activityExportUrl} />
    </Page>
  );
}
