// Checks that ESLint cannot express: the built worker must not contain dynamic import() (service
// workers refuse it), and no test may be skipped or focused.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];

function walk(dir, visit) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, visit);
    else visit(p);
  }
}

walk('test', (p) => {
  if (!/\.(ts|tsx|mjs|js)$/.test(p)) return;
  const text = readFileSync(p, 'utf8');
  const m = text.match(/\b(it|test|describe)\.(skip|only|todo)\(|\bx(it|describe)\(/);
  if (m) problems.push(`${p}: ${m[0]} (no skipped or focused tests)`);
});

for (const source of ['extension/background']) {
  walk(source, (p) => {
    if (!/\.(ts|tsx)$/.test(p)) return;
    if (/(^|[^.\w])import\(/.test(readFileSync(p, 'utf8'))) problems.push(`${p}: dynamic import() in worker code`);
  });
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint-extension: ok');
