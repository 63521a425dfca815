import type { Page } from 'playwright';
import type { Scenario, ScenarioEnv, ScenarioRun, TabStateJson } from './index.d.mts';
export function runScenario(env: ScenarioEnv, scenario: Scenario, opts?: { onVisit?: (v: { label: string; page: Page; state?: TabStateJson }) => Promise<void> }): Promise<ScenarioRun>;
