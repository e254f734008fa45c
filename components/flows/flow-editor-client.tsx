"use client";
// The editor renders in the browser only: its draft comes from this browser's storage
// and Monaco needs the DOM. The server page passes the stored version's files.
import dynamic from "next/dynamic";

export const FlowEditorClient = dynamic(() => import("./flow-editor").then((m) => m.FlowEditor), {
  ssr: false,
  loading: () => (
    <p className="muted" role="status">
      Loading the editor…
    </p>
  ),
});
