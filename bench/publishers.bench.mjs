// Publishers and copies: what judging a copy against its original costs. The built dist/chrome in
// headless Chromium against the fixture hub serving the real IBM signatures (test/fixture-hub/
// publishers.mjs). For each repo, one cold view (nothing cached) and one warm view: time from
// navigation to the final verdict, hub requests for the repo itself and for the original
// (ibm-granite/granite-4.1-3b) that the copy lookup makes (its default head and its model.sig).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, waitForFinalState, DIST } from '../test/fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../test/fixture-hub/hub.mjs';
import { EXACT_COPY, ORIGINAL, REQUANT_COPY, UNSLOTH_COPY, hasHfReal, publisherRepos } from '../test/fixture-hub/publishers.mjs';

if (!existsSync(join(DIST, 'manifest.json'))) {
  console.error('publishers bench: dist/chrome missing, run `npm run build` first');
  process.exit(1);
}
if (!hasHfReal()) {
  console.error('publishers bench: ../shared/fixtures/hf-real missing');
  process.exit(1);
}

const { repos } = publisherRepos();
const { context, worker } = await launchWithExtension();
const hub = await installFixtureHub(context, repos);
const requests = (id) => {
  const s = hub.stats.byRepo.get(id);
  return s ? s.api + s.resolve : 0;
};

async function view(page, id) {
  const own = requests(id);
  const original = requests(ORIGINAL);
  const t0 = Date.now();
  await page.goto(`${HUB}/${id}`);
  const state = await waitForFinalState(worker, page, { since: t0, timeoutMs: 120_000 });
  return { ms: state.finishedAt - t0, state: state.verdict.state, relation: state.verdict.publisher?.relation ?? '-', own: requests(id) - own, original: id === ORIGINAL ? 0 : requests(ORIGINAL) - original };
}

const page = await context.newPage();
const rows = [];
for (const id of [ORIGINAL, EXACT_COPY, REQUANT_COPY, UNSLOTH_COPY]) {
  const cold = await view(page, id);
  const warm = await view(page, id);
  rows.push({ repo: id, state: cold.state, relation: cold.relation, 'cold ms': cold.ms, 'cold req (repo)': cold.own, 'cold req (original)': cold.original, 'warm ms': warm.ms, 'warm req (repo)': warm.own, 'warm req (original)': warm.original });
}
console.table(rows);
await context.close();
