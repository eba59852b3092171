// Print the gzipped size of the built UI and refuse a build whose
// JavaScript is over the budget (issue 7: the dashboard's JavaScript under
// 150 KB gzipped). The browser test checks the same figure.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_GZIP = 150 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');

const rows = [];
let jsGzip = 0;
for (const name of readdirSync(assets).sort()) {
  const data = readFileSync(join(assets, name));
  const gz = gzipSync(data, { level: 9 }).length;
  rows.push({ name, bytes: statSync(join(assets, name)).size, gzip: gz });
  if (name.endsWith('.js')) jsGzip += gz;
}
for (const r of rows) {
  console.log(`  assets/${r.name.padEnd(32)} ${String(r.bytes).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzip`);
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`ui: JavaScript ${kb(jsGzip)} KiB gzipped (budget ${kb(BUDGET_JS_GZIP)} KiB)`);
writeFileSync(join(dist, 'size.json'), JSON.stringify({ js_gzip_bytes: jsGzip, budget_bytes: BUDGET_JS_GZIP, files: rows }, null, 2) + '\n');
if (jsGzip > BUDGET_JS_GZIP) {
  console.error('ui: over the JavaScript budget');
  process.exit(1);
}
