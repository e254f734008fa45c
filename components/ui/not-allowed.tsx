// What a reviewer sees on a page that changes configuration: reviewers read, operators
// and admins write (the API refuses them with 403 anyway).
export function NotAllowed({ what }: { what: string }) {
  return (
    <p className="form-error" role="alert">
      Only operators and admins can {what}. You are signed in as a reviewer.
    </p>
  );
}
