// Monaco's JSON language worker, bundled with the app.
import "monaco-editor/esm/vs/language/json/json.worker";
