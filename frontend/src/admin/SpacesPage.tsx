import { listAllSpaces } from '../api/admin';
import { useResource } from '../app/hooks';
import { Page, ResourceStatus, TableHead, formatDate } from '../app/ui';

export function SpacesPage() {
  const spaces = useResource(() => listAllSpaces(), []);
  return (
    <Page title="All spaces">
      <p className="muted">Every space on this install. Being an administrator does not open a space's titles.</p>
      <ResourceStatus state={spaces.state} onRetry={spaces.reload} />
      {spaces.state.kind === 'ready' && (
        <div className="table-wrap">
          <table className="dense cards-on-phone" aria-label="Spaces">
            <TableHead columns={['Name', 'Members', 'Created']} />
            <tbody>
              {spaces.state.data.map((space) => (
                <tr key={space.id}>
                  <th scope="row">{space.name}</th>
                  <td data-label="Members">{space.member_count ?? space.members ?? '—'}</td>
                  <td data-label="Created">{formatDate(space.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
