import { acceptInvite } from '../api/auth';
import { useAction } from '../app/hooks';
import { navigate } from '../app/navigation';
import { useNotices } from '../app/notices';
import { useSession } from '../app/session';
import { ErrorNotice, Page } from '../app/ui';
import { RegisterPage } from './RegisterPage';

/** /invite/<token>: new users register with it; signed-in users join the space. */
export function InvitePage({ token }: { token: string }) {
  const { me, refresh } = useSession();
  const action = useAction();
  const { notify } = useNotices();
  if (!me) return <RegisterPage inviteToken={token} />;

  async function join() {
    const ok = await action.run(async () => {
      await acceptInvite(token);
      return true;
    });
    if (ok) {
      await refresh();
      notify('You joined the space. Switch to it with the space menu.');
      navigate('/', { replace: true });
    }
  }

  return (
    <Page title="Join a space">
      <div className="panel">
        <p>
          You are signed in as <strong>{me.user.email}</strong>. Accept the invitation to add its space to your spaces.
        </p>
        <ErrorNotice error={action.error} />
        <button type="button" className="primary" onClick={join} disabled={action.busy}>
          {action.busy ? 'Joining…' : 'Accept invitation'}
        </button>
      </div>
    </Page>
  );
}
