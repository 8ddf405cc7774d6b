import { useSession } from '../app/session';
import { Page } from '../app/ui';
import { ExportLinks } from '../import/ExportMenu';
import { NeedsRole } from './NeedsRole';

/** Taking the space's collection out, from the space's own pages. */
export function ExportPage() {
  const { me, permissions } = useSession();
  const space = me?.active_space;
  return (
    <Page title="Export">
      {!permissions.canExport || !space ? (
        <NeedsRole what="export its collection" role="members, admins and owners" />
      ) : (
        <section className="panel" aria-labelledby="export-title">
          <h2 id="export-title">Export {space.name}</h2>
          <p>
            Download every title in this space with its copies, and your own notes and ratings plus the ones others
            share. The JSON file can be imported into another Shelfspace space as it is; the CSV opens in any
            spreadsheet.
          </p>
          <ExportLinks spaceId={space.id} spaceName={space.name} />
        </section>
      )}
    </Page>
  );
}
