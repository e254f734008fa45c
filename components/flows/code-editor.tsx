"use client";
// Monaco in a React component: one editor, one model per file path (so each file keeps
// its undo history while another is shown), the server's findings as markers, a way to
// reveal lines from outside (a DAG node was selected) and the cursor's line reported back
// (to select the node there). Monaco loads on first use, from the app's own bundle.
import { useEffect, useRef, useState } from "react";
import type * as Monaco from "monaco-editor";

export type EditorMarker = { line: number; column?: number; endLine?: number; message: string; severity: "error" | "warning" };

type Props = {
  path: string;
  value: string;
  onChange: (value: string) => void;
  markers: EditorMarker[];
  /** Lines to show and select (changes when `reveal.key` changes). */
  reveal?: { startLine: number; endLine: number; key: number } | null;
  onCursorLine?: (line: number) => void;
  readOnly?: boolean;
  label: string;
};

function languageOf(path: string): string {
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".md")) return "markdown";
  return "plaintext";
}

export function CodeEditor({ path, value, onChange, markers, reveal, onCursorLine, readOnly, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<typeof Monaco | null>(null);
  const callbacks = useRef({ onChange, onCursorLine });
  const ownModels = useRef(new Set<string>());
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    callbacks.current = { onChange, onCursorLine };
  });

  // Create the editor once.
  useEffect(() => {
    let disposed = false;
    const subscriptions: Monaco.IDisposable[] = [];
    import("./monaco/setup")
      .then(({ setupMonaco }) => {
        if (disposed || !host.current) return;
        const monaco = setupMonaco();
        monacoRef.current = monaco;
        const editor = monaco.editor.create(host.current, {
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          ariaLabel: label,
          readOnly,
        });
        editorRef.current = editor;
        subscriptions.push(
          editor.onDidChangeModelContent(() => {
            const model = editor.getModel();
            if (model) callbacks.current.onChange(model.getValue());
          }),
          editor.onDidChangeCursorPosition((e) => callbacks.current.onCursorLine?.(e.position.lineNumber)),
        );
        setLoaded(true);
      })
      .catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)));
    return () => {
      disposed = true;
      for (const s of subscriptions) s.dispose();
      editorRef.current?.dispose();
      editorRef.current = null;
      // Only this editor's models: another editor on the page keeps its own.
      for (const model of monacoRef.current?.editor.getModels() ?? []) if (ownModels.current.has(model.uri.toString())) model.dispose();
    };
    // The editor is created once; label and readOnly are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Show the file: its model (created on first view), with the latest text.
  useEffect(() => {
    const monaco = monacoRef.current;
    const editor = editorRef.current;
    if (!loaded || !monaco || !editor) return;
    const uri = monaco.Uri.parse(`inmemory://package/${path}`);
    let model = monaco.editor.getModel(uri);
    if (!model) {
      model = monaco.editor.createModel(value, languageOf(path), uri);
      ownModels.current.add(uri.toString());
    }
    else if (model.getValue() !== value) model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    if (editor.getModel() !== model) editor.setModel(model);
    editor.updateOptions({ readOnly, ariaLabel: label });
  }, [loaded, path, value, readOnly, label]);

  // The server's findings for this file.
  useEffect(() => {
    const monaco = monacoRef.current;
    const model = editorRef.current?.getModel();
    if (!loaded || !monaco || !model) return;
    monaco.editor.setModelMarkers(
      model,
      "provenance",
      markers.map((m) => {
        const line = Math.min(Math.max(1, m.line), model.getLineCount());
        const column = Math.max(1, m.column ?? 1);
        return {
          startLineNumber: line,
          startColumn: column,
          endLineNumber: Math.min(m.endLine ?? line, model.getLineCount()),
          endColumn: model.getLineMaxColumn(Math.min(m.endLine ?? line, model.getLineCount())),
          message: m.message,
          severity: m.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          source: "provenance",
        };
      }),
    );
  }, [loaded, markers, path]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!loaded || !editor || !model || !reveal) return;
    const end = Math.min(reveal.endLine, model.getLineCount());
    editor.revealLinesInCenter(reveal.startLine, end);
    editor.setSelection({ startLineNumber: reveal.startLine, startColumn: 1, endLineNumber: end, endColumn: model.getLineMaxColumn(end) });
  }, [loaded, reveal]);

  return (
    <div className="code-editor" data-testid="code-editor" data-path={path} data-loaded={loaded || undefined}>
      {failed ? <p className="form-error">The editor could not load: {failed}</p> : null}
      {!loaded && !failed ? <p className="muted code-editor-loading">Loading the editor…</p> : null}
      <div ref={host} className="code-editor-host" />
    </div>
  );
}
