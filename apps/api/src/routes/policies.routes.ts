import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';
import { canonicalize, diffPolicies, exportPolicy, parsePolicyDocument, policyHash, resolveExportRoute, type PolicyDocument, type PolicyDocumentInput } from '@switchyard/policy';
import {
  findPolicy,
  getCurrentPolicy,
  getPolicyPin,
  listModels,
  listPolicies,
  listPolicyEvents,
  listProviders,
  publishAndAnnounce,
  recordAudit,
  rollbackAndAnnounce,
  unpinPolicy,
  type Db,
  type PolicyRow,
} from '@switchyard/db';
import { requestOptimize } from '@switchyard/jobs';
import { exportDeployments } from '@switchyard/providers';
import type { RouteContext } from '../context';
import { actorOf, cursorParameter, documented, encodeCursor, notFound } from './route-schema';

const hashParams = z.object({ hash: z.string().min(1).max(128) });
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParameter.optional().describe('The `nextCursor` of the previous page: the next page, exactly (no version skipped or repeated)'),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Only versions created before this time. Paging by `nextBefore` (milliseconds) skips the versions sharing its millisecond; page by `cursor`'),
});
const diffQuery = z.object({ from: z.string().min(1).max(128), to: z.string().min(1).max(128).default('current') });
const publishBody = z.object({
  document: z.record(z.string(), z.unknown()),
  note: z.string().max(500).optional(),
  pin: z.boolean().default(true).describe('Pin the published version so the optimizer does not replace it (default true)'),
});
const rollbackBody = z.object({
  pin: z.boolean().default(true).describe('Pin the version so the optimizer does not replace it (default true; unpin with DELETE /api/policies/pin)'),
});
const exportFormats = ['json', 'litellm', 'portkey'] as const;
const exportQuery = z.object({
  format: z.enum(exportFormats).default('json'),
  route: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('portkey only: the route to export (`cheap` or `auto:cheap`; default `auto`). LiteLLM has every route, JSON is the whole document'),
});

/**
 * A stored document, typed as what it is known to be: a document that parses. Every write
 * path checks it (POST /api/policies parses before publishing; the optimizer builds a parsed
 * one), but a version written before a defaulted field existed may lack that field, so it is
 * the schema's input type, not its output. It is answered as stored, not re-parsed: filling
 * in defaults would change the document its hash was computed from.
 */
const storedDocument = (row: PolicyRow): PolicyDocumentInput => row.document as PolicyDocumentInput;

/** A policy version without its document, as GET /api/policies lists it. */
function versionSummary(row: Omit<PolicyRow, 'document'>) {
  return {
    hash: row.hash,
    schemaVersion: row.schema_version,
    parentHash: row.parent_hash,
    createdBy: row.created_by,
    note: row.note,
    createdAt: row.created_at,
    publishedAt: row.published_at,
  };
}

/** A policy version as GET /api/policies/current and /api/policies/:hash answer it. */
export function versionView(row: PolicyRow) {
  return { ...versionSummary(row), document: storedDocument(row) };
}

/**
 * A version by hash or unique hash prefix (6+ hex characters, as the dashboard shows them), or the
 * current one for `current`; 404 when there is none, 400 naming the matches when a prefix is ambiguous.
 */
async function resolvePolicy(db: Db, hash: string, param = 'hash'): Promise<PolicyRow> {
  const row = hash === 'current' ? await getCurrentPolicy(db) : await findPolicy(db, hash, param);
  if (!row) throw notFound(hash === 'current' ? 'No policy has been published yet; current policy' : `Policy ${hash}`);
  return row;
}

/**
 * The body of GET /api/policies: versions newest first (without documents), the current hash,
 * its pin (who chose it by hand, so the optimizer leaves it alone) and the publish/rollback timeline.
 * `nextCursor` pages exactly; `nextBefore` (the last version's time, to the millisecond) is kept
 * for older callers, and skips the versions sharing that millisecond.
 */
export async function buildPolicyHistory(db: Db, query: z.infer<typeof historyQuery>) {
  const [rows, events, current, pin] = await Promise.all([
    listPolicies(db, {
      limit: query.limit + 1,
      ...(query.before ? { before: new Date(query.before) } : {}),
      ...(query.cursor === undefined ? {} : { after: query.cursor }),
    }),
    listPolicyEvents(db, 200),
    getCurrentPolicy(db),
    getPolicyPin(db),
  ]);
  const items = rows.slice(0, query.limit);
  const last = rows.length > query.limit ? items[items.length - 1] : undefined;
  return {
    items: items.map(versionSummary),
    currentHash: current?.hash ?? null,
    pin: pin ? { hash: pin.hash, by: pin.by, at: pin.at } : null,
    events: events.map((event) => ({ hash: event.policy_hash, action: event.action, actor: event.actor, at: event.at })),
    nextCursor: last ? encodeCursor(last.hash) : null,
    nextBefore: last ? new Date(last.created_at).toISOString() : null,
  };
}

/** The body of GET /api/policies/diff: the two resolved hashes and what moved between them. */
export async function buildPolicyDiff(db: Db, query: z.infer<typeof diffQuery>) {
  const [from, to] = await Promise.all([resolvePolicy(db, query.from, 'from'), resolvePolicy(db, query.to, 'to')]);
  return { from: from.hash, to: to.hash, diff: diffPolicies(parsePolicyDocument(from.document), parsePolicyDocument(to.document)) };
}

/** An export of a policy document in one of the supported formats, as file text; `suffix` names it. */
async function renderExport(db: Db, row: PolicyRow, query: z.infer<typeof exportQuery>): Promise<{ text: string; extension: string; type: string; suffix: string }> {
  const { format, route } = query;
  const deployments = format === 'json' ? undefined : exportDeployments(await listProviders(db), await listModels(db));
  const document = parsePolicyDocument(row.document);
  const text = exportPolicy(document, format, { hash: row.hash, ...(route === undefined ? {} : { route }), ...(deployments ? { deployments } : {}) });
  if (format === 'litellm') return { text, extension: 'yaml', type: 'application/yaml', suffix: '-litellm' };
  // A published document's route keys are free strings: keep the file name header-safe.
  const suffix = format === 'portkey' ? `-portkey-${resolveExportRoute(document, route).replace(/[^\w-]/g, '_')}` : '';
  return { text, extension: 'json', type: 'application/json', suffix };
}

/** Policies: current, history, one version, diff, publish a document, rollback, export. */
export async function policyRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { db, redis, config } = context;

  app.get('/api/policies/current', documented({ tags: ['policies'], summary: 'The current published policy' }), async () =>
    versionView(await resolvePolicy(db, 'current')),
  );

  app.get(
    '/api/policies',
    documented({ tags: ['policies'], summary: 'Policy versions (newest first) and the publish/rollback timeline', querystring: historyQuery }),
    async (request) => buildPolicyHistory(db, historyQuery.parse(request.query)),
  );

  app.get('/api/policies/diff', documented({ tags: ['policies'], summary: 'What moved between two versions', querystring: diffQuery }), async (request) =>
    buildPolicyDiff(db, diffQuery.parse(request.query)),
  );

  app.get('/api/policies/:hash', documented({ tags: ['policies'], summary: 'One policy version', params: hashParams }), async (request) =>
    versionView(await resolvePolicy(db, hashParams.parse(request.params).hash)),
  );

  app.get(
    '/api/policies/:hash/export',
    documented({
      tags: ['policies'],
      summary: 'Download a policy as JSON, a LiteLLM router config (every route) or a Portkey config (one route)',
      params: hashParams,
      querystring: exportQuery,
      produces: ['application/json', 'application/yaml'],
    }),
    async (request, reply) => {
      const { hash } = hashParams.parse(request.params);
      const query = exportQuery.parse(request.query);
      const row = await resolvePolicy(db, hash);
      const file = await renderExport(db, row, query);
      const name = `switchyard-policy-${row.hash.slice(0, 12)}${file.suffix}.${file.extension}`;
      return reply
        .header('content-type', `${file.type}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-switchyard-policy-hash', row.hash)
        .serializer((payload: unknown) => String(payload))
        .send(file.text);
    },
  );

  app.post(
    '/api/policies',
    documented({ tags: ['policies'], summary: 'Publish a policy document (validated, content-hashed)', body: publishBody }),
    async (request, reply) => {
      const body = publishBody.parse(request.body ?? {});
      let document: PolicyDocument;
      try {
        document = parsePolicyDocument(body.document);
      } catch (error) {
        if (error instanceof z.ZodError) {
          const issue = error.issues[0];
          throw new SwitchyardError('bad_request', `Invalid policy document at \`${issue?.path.join('.') || '(root)'}\`: ${issue?.message ?? 'invalid'}`, {
            param: 'document',
            cause: error,
          });
        }
        throw error;
      }
      const canonical = JSON.parse(canonicalize(document)) as Record<string, unknown>;
      const hash = policyHash(canonical);
      const actor = actorOf(request);
      const outcome = await publishAndAnnounce(
        db,
        redis,
        config.redisPrefix,
        { hash, schemaVersion: document.schemaVersion, parentHash: document.parentHash, document: canonical, createdBy: actor, note: body.note ?? null },
        body.pin ? { pinnedBy: actor } : {},
      );
      if (outcome.published) await recordAudit(db, { actor, action: 'policy.publish', target: `policy:${hash}`, detail: { note: body.note ?? null } });
      return reply.code(outcome.published ? 201 : 200).send({ hash, ...outcome });
    },
  );

  app.post(
    '/api/policies/:hash/rollback',
    documented({
      tags: ['policies'],
      summary: 'Make an earlier version current again, pinned so the optimizer leaves it in place until unpinned',
      params: hashParams,
      body: rollbackBody,
    }),
    async (request) => {
      const { pin } = rollbackBody.parse(request.body ?? {});
      // A version, by hash or unique prefix; not `current` (rolling back to it would only pin it).
      const reference = hashParams.parse(request.params).hash;
      const row = await findPolicy(db, reference, 'hash');
      if (!row) throw notFound(`Policy ${reference}`);
      const { hash } = row;
      const actor = actorOf(request);
      const outcome = await rollbackAndAnnounce(db, redis, config.redisPrefix, hash, actor, pin);
      if (!outcome) throw notFound(`Policy ${hash}`);
      if (outcome.published || pin) await recordAudit(db, { actor, action: 'policy.rollback', target: `policy:${hash}`, detail: { ...outcome, pin } });
      return { hash, ...outcome, pinned: pin };
    },
  );

  app.delete(
    '/api/policies/pin',
    documented({ tags: ['policies'], summary: 'Unpin the current policy: the optimizer publishes again when the evidence moves' }),
    async (request) => {
      const actor = actorOf(request);
      const unpinned = await unpinPolicy(db, actor);
      if (!unpinned) return { unpinned: false };
      await recordAudit(db, { actor, action: 'policy.unpin', target: 'policy:current', detail: {} });
      try {
        await requestOptimize(context.queues, 'policy unpinned');
        return { unpinned: true, optimize: 'requested' as const };
      } catch {
        // Unpinned either way; the scheduled optimize run picks it up.
        return { unpinned: true, optimize: 'unavailable' as const };
      }
    },
  );
}
