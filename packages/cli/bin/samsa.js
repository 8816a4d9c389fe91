#!/usr/bin/env node
// The `samsa` command as npm installs it (node_modules/.bin/samsa). It is a committed shim so that
// `npm ci` can link it before anything is built; the command itself is compiled TypeScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/bin/samsa.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write("samsa is not built yet: run 'npm run build' at the repository root\n");
  process.exit(1);
}
await import(compiled.href);
