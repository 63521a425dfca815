// Runs one scenario's steps against the launched browser: the e2e tests, the demo and the bench all
// drive scenarios through here, so what the demo shows is what the tests assert.
import { HUB } from './hub.mjs';
import { waitForFinalState, send } from './browser.mjs';

/**
 * `env` = { context, worker, extPage, hub, page? }. Returns { page, states: [TabState per visit],
 * screenshots: [{label, state, page}] } and throws when a visit ends in a state it did not expect.
 */
export async function runScenario(env, scenario, { onVisit } = {}) {
  const page = env.page ?? (await env.context.newPage());
  const states = [];
  const marks = [];
  for (const step of scenario.steps) {
    switch (step.do) {
      case 'set-key-policy':
        expectOk(await send(env.extPage, { type: 'trust/set-expected-key', scope: step.scope, publicKeyPem: step.pem }), step);
        break;
      case 'remove-policy':
        expectOk(await send(env.extPage, { type: 'trust/remove-expected', scope: step.scope }), step);
        break;
      case 'accept-signer': {
        const last = states.at(-1);
        const signer = last?.verdict?.signature?.signer;
        if (!signer) throw new Error(`${scenario.name}: nothing to accept`);
        expectOk(await send(env.extPage, { type: 'trust/accept-signer', hub: HUB, kind: 'model', repo: step.repo, signer, confirmation: step.repo }), step);
        break;
      }
      case 'accept-in-popup': {
        // The user step: open the popup for the tab, type the repo name, press the (danger) button.
        const last = states.at(-1);
        if (!last) throw new Error(`${scenario.name}: nothing to accept`);
        // URL.origin is "null" for chrome-extension: URLs; take scheme and host by hand.
        const origin = /^[a-z-]+:\/\/[^/]+/.exec(env.extPage.url())?.[0];
        const popup = await env.context.newPage();
        await popup.goto(`${origin}/popup/index.html?tab=${last.tabId}`);
        const input = popup.locator('form input');
        const button = popup.locator('form button[type="submit"]');
        await input.waitFor({ timeout: 15_000 });
        if (!(await button.isDisabled())) throw new Error('accept button enabled before the repo name was typed');
        await input.fill(step.repo);
        await button.click();
        // Accepted: the form goes (replaced by the confirmation, which the re-verified state may
        // already have replaced). A refusal keeps the form, with an alert.
        await button.waitFor({ state: 'detached', timeout: 15_000 }).catch(async (e) => {
          throw new Error(`${scenario.name}: no accept confirmation in the popup (${e.message.split('\n')[0]}); popup says: ${(await popup.innerText('body')).slice(0, 400)}`);
        });
        await popup.close();
        break;
      }
      case 'sign-in':
        await env.hub.signIn();
        break;
      case 'move-branch':
        env.hub.moveBranch(step.kind ?? 'model', step.repo, step.branch, step.to);
        break;
      case 'screenshot':
        marks.push({ label: step.label, state: states.at(-1) });
        if (onVisit) await onVisit({ label: step.label, page, state: states.at(-1) });
        break;
      case 'visit': {
        const started = Date.now();
        await page.goto(`${HUB}${step.path}`);
        const state = await waitForFinalState(env.worker, page, { since: started });
        state.elapsedMs = Date.now() - started;
        states.push(state);
        if (!step.expect.includes(state.verdict.state)) {
          const why = state.verdict.failure ? ` (${state.verdict.failure.code}: ${state.verdict.failure.reason})` : '';
          throw new Error(`${scenario.name}: ${step.path} ended ${state.verdict.state}${why}, expected ${step.expect.join(' or ')}`);
        }
        break;
      }
      default:
        throw new Error(`unknown step ${step.do}`);
    }
  }
  return { page, states, marks, final: states.at(-1) };
}

function expectOk(reply, step) {
  if (!reply?.ok) throw new Error(`step ${step.do} refused: ${JSON.stringify(reply?.error)}`);
}
