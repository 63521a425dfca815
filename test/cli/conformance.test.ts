/**
 * The Sigstore conformance suite (bundle-verify, 70 cases) through the BUILT `modelseal verify-bundle`,
 * once with the artifact path and once with `sha256:HEX`. Builds dist/cli first when it is missing or
 * older than the sources, so the test always exercises the code on disk.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCliBuilt, cliPath } from './built-cli.js';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = process.cwd();
const suite = resolve(repo, '../shared/fixtures/sigstore-conformance/bundle-verify');
const cli = cliPath;
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';



interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, 'verify-bundle', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

function caseArgs(name: string, mode: 'path' | 'digest'): string[] {
  const dir = join(suite, name);
  const has = (f: string) => existsSync(join(dir, f));
  const args = ['--bundle', join(dir, 'bundle.sigstore.json')];
  if (has('key.pub')) args.push('--key', join(dir, 'key.pub'));
  else {
    args.push('--certificate-identity', has('identity') ? readFileSync(join(dir, 'identity'), 'utf8').trim() : DEFAULT_IDENTITY);
    args.push('--certificate-oidc-issuer', has('issuer') ? readFileSync(join(dir, 'issuer'), 'utf8').trim() : DEFAULT_ISSUER);
  }
  if (has('trusted_root.json')) args.push('--trusted-root', join(dir, 'trusted_root.json'));
  const artifact = has('artifact') ? join(dir, 'artifact') : join(suite, 'a.txt');
  args.push(mode === 'path' ? artifact : `sha256:${createHash('sha256').update(readFileSync(artifact)).digest('hex')}`);
  return args;
}

if (!existsSync(suite)) {
  console.log(`conformance: ${suite} not found, Sigstore conformance tests not registered`);
} else {
  const cases = readdirSync(suite, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  describe('Sigstore conformance suite through the built CLI', () => {
    beforeAll(ensureCliBuilt, 300_000);

    it('has all 70 cases', () => {
      expect(cases).toHaveLength(70);
    });

    it('the built CLI carries the browser adapter for sigstore-js (bare crypto/util never reach Node)', () => {
      const code = readFileSync(cli, 'utf8');
      // `node:crypto` is fine (the CLI hashes files with it); the bare ids must have been aliased away.
      expect(code).not.toMatch(/(?:require\(|from\s*)["'](?:crypto|util)["']/);
      expect(code).toContain('modelseal.crypto-shim.verify-memo');
    });

    for (const mode of ['path', 'digest'] as const) {
      describe(`${mode} mode`, () => {
        it.concurrent.each(cases)('%s', async (name) => {
          const r = await run(caseArgs(name, mode));
          if (name.endsWith('_fail')) {
            // Rejected as "not verified" with a code, never a crash (3) or a usage error (2).
            expect(r.code, r.stderr).toBe(1);
            expect(r.stderr, r.stderr).toMatch(/not verified: [A-Z_]+: /);
          } else {
            expect(r.code, r.stderr).toBe(0);
            expect(r.stdout).toMatch(/^verified: /);
          }
        });
      });
    }

    it('rejects a tlog without validFor.start as an invalid trusted root', async () => {
      const r = await run(caseArgs('trust-root-tlog-missing-validity-start_fail', 'path'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('TRUSTED_ROOT_INVALID');
    });

    it('answers bad usage with exit 2', async () => {
      expect((await run([])).code).toBe(2);
      expect((await run(['--bundle', 'x', 'a.txt'])).code).toBe(2);
      expect((await run(['--bundle', 'x', '--key', 'k', '--certificate-identity', 'i', 'a'])).code).toBe(2);
      expect((await run(['--bundle', 'x', '--key', 'k', 'sha256:abc'])).code).toBe(2);
    });
  });
}
