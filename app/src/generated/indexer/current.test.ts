/// <reference types="node" />
// schema.d.ts must be what openapi-typescript (the pinned 7.13.0) makes of openapi.json, the
// indexer's document (kept current by the indexer's `openapi_file` test): regenerated here into a
// temporary file by the same command as `npm run gen:api`, and compared.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

test('schema.d.ts is generated from the committed openapi.json', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'io-openapi-')), 'schema.d.ts');
  const cli = join(here, '../../../node_modules/openapi-typescript/bin/cli.js');
  execFileSync(process.execPath, [cli, join(here, 'openapi.json'), '-o', out], { stdio: 'pipe' });
  const committed = readFileSync(join(here, 'schema.d.ts'), 'utf8');
  expect(committed, 'run `npm run gen:api` in app/').toBe(readFileSync(out, 'utf8'));
});
