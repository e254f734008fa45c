// Monaco's editor worker, bundled with the app (no CDN): setup.ts starts it with new URL().
import "monaco-editor/esm/vs/editor/editor.worker";
