import { writeFileSync } from 'node:fs';
import { publicRouteName, SwitchyardError } from '@switchyard/core';
import { assertApiKeyScopes, createApiKey, findPolicy, getCurrentPolicy, listApiKeys, listModels, listProviders, revokeApiKey, type Db } from '@switchyard/db';
import { exportFormats, exportPolicy, parsePolicyDocument, resolveExportRoute, type ExportFormat } from '@switchyard/policy';
import { exportDeployments } from '@switchyard/providers';

export const usage = `Usage: switchyard <command>

  policy export [--format json|litellm|portkey] [--route <route>] [--hash <hash>] [--out <file>]
                        export the current (or a given) learned policy; secrets are never exported.
                        json is the whole document, litellm has every route; portkey is one
                        route: --route (default auto; e.g. cheap or auto:cheap)
  policy show [--hash <hash>]
                        print a policy's routes, weights and why
  keys create --name <name> [--routes a,b] [--models p/m,...] [--rate-limit <per-minute>]
                        create a router API key (printed once)
  keys list             list API keys (never the keys themselves)
  keys revoke <id>      revoke an API key

--hash takes a full policy hash or a unique prefix of at least 6 characters (as the dashboard shows it).
Reads DATABASE_URL (or the embedded database under .switchyard/) like every other part of Switchyard.`;


/** The current policy, or the version a full hash or unique 6+ character prefix (as `policy show` prints it) names. */
async function policyDocument(db: Db, hash: string | undefined) {
  const row = hash ? await findPolicy(db, hash, '--hash') : await getCurrentPolicy(db);
  if (!row) {
    throw new SwitchyardError('not_found', hash ? `no policy version ${hash}` : 'no policy has been published yet (the optimizer publishes one after the first measurements)');
  }
  return { hash: row.hash, document: parsePolicyDocument(row.document) };
}

export async function policyExport(db: Db, options: { format?: string; route?: string; hash?: string; out?: string }): Promise<string> {
  const format = (options.format ?? 'json') as ExportFormat;
  if (!exportFormats.includes(format)) throw new SwitchyardError('bad_request', `--format must be one of ${exportFormats.join(', ')}`);
  if (options.route !== undefined && format !== 'portkey') {
    throw new SwitchyardError('bad_request', `--route applies to --format portkey only (${format === 'litellm' ? 'litellm exports every route' : 'json is the whole document'})`);
  }
  const { hash, document } = await policyDocument(db, options.hash);
  const route = format === 'portkey' ? resolveExportRoute(document, options.route) : undefined;
  const deployments = format === 'json' ? undefined : exportDeployments(await listProviders(db), await listModels(db));
  const exported = exportPolicy(document, format, { hash, ...(route === undefined ? {} : { route }), ...(deployments ? { deployments } : {}) });
  if (options.out) {
    writeFileSync(options.out, exported);
    return `wrote ${options.out} (${Buffer.byteLength(exported)} bytes, ${format}${route === undefined ? '' : `, route ${route}`})`;
  }
  return exported;
}

export async function policyShow(db: Db, options: { hash?: string }): Promise<string> {
  const { hash, document } = await policyDocument(db, options.hash);
  const lines = [`policy ${hash.slice(0, 12)}  created ${document.createdAt}  algorithm ${document.generator.algorithm}`];
  for (const [route, routePolicy] of Object.entries(document.routes)) {
    lines.push('', `route ${publicRouteName(route)}: ${routePolicy.why}`);
    for (const [category, categoryPolicy] of Object.entries(routePolicy.categories)) {
      const weights = categoryPolicy.models
        .filter((entry) => entry.weight >= 0.005)
        .map((entry) => `${entry.model} ${(entry.weight * 100).toFixed(1)}%`)
        .join(', ');
      lines.push(`  ${category.padEnd(10)} ${weights}`);
    }
  }
  return lines.join('\n');
}

const list = (value: string | undefined) => (value ? value.split(',').map((part) => part.trim()).filter(Boolean) : undefined);

export async function keysCreate(db: Db, options: { name?: string; routes?: string; models?: string; rateLimit?: string }): Promise<string> {
  if (!options.name) throw new SwitchyardError('bad_request', '--name is required');
  const rateLimit = options.rateLimit === undefined ? undefined : Number(options.rateLimit);
  if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit <= 0)) {
    throw new SwitchyardError('bad_request', '--rate-limit must be a positive whole number of requests per minute');
  }
  const routes = list(options.routes);
  const models = list(options.models);
  await assertApiKeyScopes(db, { routes, models });
  const created = await createApiKey(
    db,
    {
      name: options.name,
      ...(routes ? { routes } : {}),
      ...(models ? { models } : {}),
      ...(rateLimit ? { rateLimitPerMin: rateLimit } : {}),
    },
    'cli',
  );
  return `created key ${created.row.id} (${options.name})\n${created.key}\nStore it now: it is not shown again.`;
}

export async function keysList(db: Db): Promise<string> {
  const rows = await listApiKeys(db);
  if (rows.length === 0) return 'no API keys';
  return rows
    .map((row) => `${row.id}  ${row.prefix}…  ${row.name}${row.revoked_at ? '  (revoked)' : ''}${row.routes ? `  routes=${row.routes.join(',')}` : ''}`)
    .join('\n');
}

export async function keysRevoke(db: Db, id: string | undefined): Promise<string> {
  if (!id) throw new SwitchyardError('bad_request', 'keys revoke needs the key id (see `switchyard keys list`)');
  if (!(await revokeApiKey(db, id, 'cli'))) throw new SwitchyardError('not_found', `no active API key ${id}`);
  return `revoked ${id}`;
}
