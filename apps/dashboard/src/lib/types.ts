/** Shapes of the control-plane API as the dashboard reads them. */
export type Interval = [number, number];

export interface LeaderboardCell {
  dataset: string;
  category: string;
  n: number;
  mean: number | null;
  errors: number;
  interval: Interval | null;
}

export interface LeaderboardRow {
  model: string;
  displayName: string | null;
  provider: string;
  enabled: boolean;
  status: string;
  price: { inputPerMTok: number; outputPerMTok: number };
  blendedPricePerMTok: number;
  quality: { n: number; mean: number | null; interval: Interval | null };
  cells: LeaderboardCell[];
  rank: number | null;
  tied: boolean;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  tokensPerSecond: number | null;
  probeSamples24h: number;
  lastProbeAt: string | null;
  uptime: { '1h': number | null; '24h': number | null; '7d': number | null };
  traffic: { requests24h: number; share24h: number; errors24h: number };
  spendUsd: { evals: number; probes24h: number; traffic24h: number };
}

export interface Leaderboard {
  items: LeaderboardRow[];
  datasets: string[];
  categories: string[];
  providers: string[];
  generatedAt: string;
}

export interface ProbePoint {
  model: string;
  bucket: string;
  samples: number;
  errors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
}

export interface ExpectedOutcome {
  quality: number;
  qualityInterval?: Interval;
  costPerRequestUsd: number;
  ttftP50Ms: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface ModelWeight {
  model: string;
  weight: number;
  expected: ExpectedOutcome;
  evidence?: { evalSamples?: number; liveSamples?: number; feedbackSamples?: number; probeSamples?: number; sources?: string[] };
}

export interface RoutePolicy {
  objective: { quality: number; cost: number; latency: number };
  constraints: Record<string, number | undefined>;
  candidates: string[];
  categories: Record<string, { models: ModelWeight[]; fallbackOrder: string[] }>;
  why: string;
  excluded?: Array<{ model: string; reason: string }>;
}

export interface PolicyDocument {
  schemaVersion: number;
  parentHash: string | null;
  createdAt: string;
  generator: { algorithm: string; version?: string };
  models: Record<string, { provider: string; price: { inputPerMTok: number; outputPerMTok: number } }>;
  routes: Record<string, RoutePolicy>;
}

export interface PolicyVersion {
  hash: string;
  schemaVersion: number;
  parentHash: string | null;
  createdBy: string;
  note: string | null;
  createdAt: string;
  publishedAt: string | null;
  document: PolicyDocument;
}

export interface PolicyHistory {
  items: Array<Omit<PolicyVersion, 'document' | 'schemaVersion' | 'parentHash' | 'createdBy' | 'createdAt' | 'publishedAt'> & {
    schema_version: number;
    parent_hash: string | null;
    created_by: string;
    created_at: string;
    published_at: string | null;
  }>;
  currentHash: string | null;
  events: Array<{ hash: string; action: string; actor: string; at: string }>;
}

export interface PolicyDiff {
  weightChanges: Array<{ route: string; category: string; model: string; from: number; to: number }>;
  modelsAdded: Array<{ route: string; category: string; model: string; weight: number }>;
  modelsRemoved: Array<{ route: string; category: string; model: string; weight: number }>;
  routesAdded: string[];
  routesRemoved: string[];
  maxL1: number;
}

export interface RouteItem {
  name: string;
  description?: string;
  candidates: string[];
  objective: { quality: number; cost: number; latency: number };
  constraints: { maxCostPerRequestUsd?: number; maxCostPerMTok?: number; maxTtftMs?: number; minQuality?: number; budgetPer1kUsd?: number };
  enabled: boolean;
  updatedBy: string;
  updatedAt: string;
}

export interface ModelItem {
  id: string;
  provider: string;
  displayName: string | null;
  enabled: boolean;
  status: string;
  statusDetail: string | null;
  price: { inputPerMTok: number; outputPerMTok: number };
  blendedPricePerMTok: number;
}

export interface RowIssue {
  line: number;
  field?: string;
  message: string;
}

export interface ValidationReport {
  format: string | null;
  bytes: number;
  rows: number;
  items: number;
  invalidRows: number;
  duplicateRows: number;
  errors: RowIssue[];
  errorCount: number;
  warnings: RowIssue[];
  warningCount: number;
  categories: Record<string, number>;
  graders: Record<string, number>;
  rejected: boolean;
  rejectionReason: string | null;
}

export interface DatasetItem {
  id: string;
  name: string;
  description: string | null;
  source: string;
  createdAt: string;
  items: number;
  categories: string[];
  versionCount: number;
  latestVersion: { id: string; itemCount: number; categories: string[]; format: string; createdAt: string } | null;
}

export type LiveEvent =
  | { type: 'hello'; at: string }
  | { type: 'probe'; model: string; at: string }
  | { type: 'eval-progress'; runId: string; done: number; total: number; errors: number; spendUsd: number; etaMs: number | null; status: string }
  | { type: 'eval-result'; runId: string; model: string }
  | { type: 'policy'; hash: string; action: 'publish' | 'rollback' }
  | { type: 'decisions'; count: number }
  | { type: 'models'; model?: string };
