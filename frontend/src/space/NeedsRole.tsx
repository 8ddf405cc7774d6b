/** Shown instead of a page the user's role does not open (the server would answer 403 anyway). */
export function NeedsRole({ what, role = 'an owner or admin' }: { what: string; role?: string }) {
  return (
    <p role="alert" className="error">
      Only {role} of this space can {what}. Ask one of them if you need access.
    </p>
  );
}
