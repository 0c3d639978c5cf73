import type { Migration } from 'kysely';
import * as initial from './2026-11-21T00-00-initial';
import * as leaderboardRollups from './2026-11-21T17-00-leaderboard-rollups';
import * as probeBurstRates from './2026-11-21T22-00-probe-burst-rates';
import * as policyPin from './2026-11-22T00-00-policy-pin';
import * as decisionsAttributedModelIndex from './2026-12-07T00-00-decisions-attributed-model-index';
import * as dropServedModelIndex from './2026-12-08T00-00-drop-served-model-index';

/** Every migration, by its timestamped name. Append new files here; never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T00-00-initial': initial,
  '2026-11-21T17-00-leaderboard-rollups': leaderboardRollups,
  '2026-11-21T22-00-probe-burst-rates': probeBurstRates,
  '2026-11-22T00-00-policy-pin': policyPin,
  '2026-12-07T00-00-decisions-attributed-model-index': decisionsAttributedModelIndex,
  '2026-12-08T00-00-drop-served-model-index': dropServedModelIndex,
};
