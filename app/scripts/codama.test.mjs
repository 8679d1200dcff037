// `npm test` fails when src/generated is not what `npm run gen` renders from idl/*.json (the
// committed IDLs, themselves checked against the programs by `cargo test -p io-idl`).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), 'codama.mjs');

test('src/generated is current against idl/*.json (npm run gen:check)', () => {
  let output;
  try {
    output = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`${e.stderr || e.message}`);
  }
  expect(output).toMatch(/is current/);
}, 60_000);
