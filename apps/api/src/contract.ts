/**
 * The response shapes of the control-plane API, for clients to import with `import type`
 * from `@switchyard/api/contract` (the dashboard does). Each type is derived from the
 * function that builds the response, so a change there changes the type, and a client that
 * no longer fits fails to compile. Each is what the client receives after JSON (`Jsonified`),
 * not what the handler holds.
 *
 * Types only: this module must never export a value, so that importing it cannot pull
 * server code into a browser bundle.
 */
import type { buildDatasetList, buildItemsPage, dryRunView, uploadView } from './routes/datasets.routes';
import type { buildEvalRunDetail, runView } from './routes/eval-runs.routes';
import type { buildJobsOverview } from './routes/jobs.routes';
import type { buildLeaderboard } from './routes/leaderboard.routes';
import type { LiveStreamEvent } from './routes/live.routes';
import type { buildModelList } from './routes/models.routes';
import type { buildPolicyDiff, buildPolicyHistory, versionView } from './routes/policies.routes';
import type { buildProbeSeries } from './routes/probes.routes';
import type { buildRouteList } from './routes/routes.routes';

/**
 * A value as a client receives it after `JSON.stringify` and `JSON.parse`: every `Date`
 * (serialized by its `toJSON`) becomes an ISO string, at any depth.
 */
export type Jsonified<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;

/** The JSON body a response-building function produces (sync or async). */
type Body<Build extends (...args: never[]) => unknown> = Jsonified<Awaited<ReturnType<Build>>>;

/** GET /api/leaderboard */
export type Leaderboard = Body<typeof buildLeaderboard>;
export type LeaderboardRow = Leaderboard['items'][number];
export type LeaderboardCell = LeaderboardRow['cells'][number];

/** GET /api/probes/series */
export type ProbeSeries = Body<typeof buildProbeSeries>;
export type ProbePoint = ProbeSeries['points'][number];

/** GET /api/models */
export type ModelList = Body<typeof buildModelList>;
export type ModelItem = ModelList['items'][number];

/** GET /api/routes */
export type RouteList = Body<typeof buildRouteList>;
export type RouteItem = RouteList['items'][number];

/** GET /api/policies/current and GET /api/policies/:hash */
export type PolicyVersion = Body<typeof versionView>;
/** As stored: a document that parses, so fields the schema defaults may be missing from an old one. */
export type PolicyDocument = PolicyVersion['document'];
export type RoutePolicy = PolicyDocument['routes'][string];
/** GET /api/policies */
export type PolicyHistory = Body<typeof buildPolicyHistory>;
/** GET /api/policies/diff */
export type PolicyDiffAnswer = Body<typeof buildPolicyDiff>;
export type PolicyDiff = PolicyDiffAnswer['diff'];

/** GET /api/datasets */
export type DatasetList = Body<typeof buildDatasetList>;
export type DatasetView = DatasetList['items'][number];
/** GET /api/datasets/:id/items */
export type DatasetItemsPage = Body<typeof buildItemsPage>;
export type DatasetItemPreview = DatasetItemsPage['items'][number];
/** POST /api/datasets when stored (201 new version, 200 identical to an existing one) */
export type DatasetUploadResult = Body<typeof uploadView>;
/** POST /api/datasets?dryRun=true */
export type DatasetDryRun = Body<typeof dryRunView>;
export type ValidationReport = DatasetUploadResult['report'];

/** POST /api/eval-runs, POST /api/eval-runs/:id/cancel, and each item of GET /api/eval-runs */
export type EvalRun = Body<typeof runView>;
/** GET /api/eval-runs/:id */
export type EvalRunDetail = Body<typeof buildEvalRunDetail>;
export type EvalRunResult = EvalRunDetail['results'][number];

/** GET /api/jobs */
export type JobsOverview = Body<typeof buildJobsOverview>;

/** Each `data:` frame of GET /api/live */
export type LiveEvent = Jsonified<LiveStreamEvent>;
