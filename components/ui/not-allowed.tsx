// What a signed-in user without the role sees on a page that changes things: reviewers
// read, operators and admins write configuration, admins manage tokens (the API refuses
// the others with 403 anyway).
export function NotAllowed({ what, admins }: { what: string; /** Only admins may (tokens). */ admins?: boolean }) {
  return (
    <p className="form-error" role="alert">
      Only {admins ? "admins" : "operators and admins"} can {what}.
    </p>
  );
}
