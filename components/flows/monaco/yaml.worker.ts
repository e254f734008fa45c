// monaco-yaml's language worker (completion, hover and validation from a JSON Schema),
// bundled with the app.
import "monaco-yaml/yaml.worker";
