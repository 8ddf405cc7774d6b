import { useCallback } from 'react';
import { spaceActivity, spaceActivityFacets, type ActivityFilters } from '../api/spaces';
import { useSession } from '../app/session';
import { Page } from '../app/ui';
import { ActivityView } from './ActivityView';
import { NeedsRole } from './NeedsRole';

export function SpaceActivityPage() {
  const { me, permissions } = useSession();
  const spaceId = me?.active_space?.id ?? '';
  const load = useCallback(
    (filters: ActivityFilters, cursor: string | null) => spaceActivity(spaceId, filters, cursor),
    [spaceId],
  );
  const loadFacets = useCallback(() => spaceActivityFacets(spaceId), [spaceId]);
  return (
    <Page title="Space activity">
      {permissions.canManageSpace ? (
        <ActivityView key={spaceId} load={load} loadFacets={loadFacets} />
      ) : (
        <NeedsRole what="see the activity of this space" />
      )}
    </Page>
  );
}
