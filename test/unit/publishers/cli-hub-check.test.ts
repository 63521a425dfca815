/**
 * The CLI's hub check (`modelseal download --trust-store`) with the publishers' directory: the same
 * fixture repos the e2e test serves (real IBM signatures), through the CLI's own checkHubRevision,
 * so the CLI and the extension reach the same verdicts. A trust store's pin still wins.
 */
import { describe, expect, it } from 'vitest';
import { createHubHandler, hubFetch } from '../../fixture-hub/hub.mjs';
import { EXACT_COPY, ORIGINAL, REQUANT_COPY, UNSLOTH_COPY, publisherRepos } from '../../fixture-hub/publishers.mjs';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { checkHubRevision } from '../../../extension/cli/hub-check.js';
import { storeTrust, withPublishers } from '../../../extension/cli/trust-source.js';
import { publisherLine } from '../../../extension/cli/report.js';
import { builtinDirectory } from '../../../extension/core/publishers/builtin.js';
import { emptyDocument } from '../../../extension/core/trust/types.js';
import type { FetchLike } from '../../../extension/core/env.js';

const { repos } = publisherRepos();
const client = () => adapterFor('https://huggingface.co').createClient({ fetch: hubFetch(createHubHandler(repos)) as FetchLike });
const emptyStore = () => storeTrust(JSON.stringify({ format: 'modelseal-trust-export', document: emptyDocument() }), 'store.json');

describe('CLI hub check with the publishers directory', () => {
  it('documented signer, exact copy, re-quantized copy and the real unsloth re-upload: the extension\'s verdicts', async () => {
    const trust = withPublishers(emptyStore(), builtinDirectory());
    const verdict = async (repo: string) => (await checkHubRevision({ client: client(), kind: 'model', repo, trust })).decision;
    const own = await verdict(ORIGINAL);
    expect(own.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'documented' } });
    expect(own.newPin).toBeUndefined();
    expect(publisherLine(own.verdict)).toMatch(/^documented by the publisher: IBM \(ibm-granite\); source: signatures seen on the publisher's own repos/);
    const copy = await verdict(EXACT_COPY);
    expect(copy.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'exact-copy', original: ORIGINAL } });
    expect(publisherLine(copy.verdict)).toContain("an exact copy of ibm-granite/granite-4.1-3b's signed release, signed by IBM (ibm-granite), not by the owner of this repo (copycat)");
    expect((await verdict(REQUANT_COPY)).verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER' } });
    expect((await verdict(UNSLOTH_COPY)).verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER' } });
  });

  it('without the directory (--no-publishers) the same store gives first use', async () => {
    const d = (await checkHubRevision({ client: client(), kind: 'model', repo: EXACT_COPY, trust: emptyStore() })).decision;
    expect(d.verdict.state).toBe('verified-first-use');
    expect(d.verdict.publisher).toBeUndefined();
  });
});
