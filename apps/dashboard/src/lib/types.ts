/**
 * Shapes of the control-plane API as the dashboard reads them. They come from the API's own
 * code (`@switchyard/api/contract`), so an API change that breaks the dashboard fails the
 * type check instead of the page. Types only: no API code reaches the browser bundle.
 */
export type {
  DatasetItemPreview,
  DatasetItemsPage,
  DatasetList,
  DatasetUploadResult,
  DatasetView as DatasetItem,
  EvalRun,
  EvalRunDetail,
  EvalRunResult,
  JobsOverview,
  Leaderboard,
  LeaderboardCell,
  LeaderboardRow,
  LiveEvent,
  ModelItem,
  ModelList,
  PolicyDiff,
  PolicyDiffAnswer,
  PolicyDocument,
  PolicyHistory,
  PolicyVersion,
  ProbePoint,
  ProbeSeries,
  RouteItem,
  RouteList,
  RoutePolicy,
  ValidationReport,
} from '@switchyard/api/contract';
