// While a settings page loads on the server.
export default function SettingsLoading() {
  return (
    <div className="card loading-card" role="status" aria-live="polite">
      Loading settings…
    </div>
  );
}
