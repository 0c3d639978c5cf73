/** `npx switchyard ...`: operations from a terminal. See `usage` in commands.ts. */
import { parseArgs } from 'node:util';
import { createLogger, isSwitchyardError, loadConfig } from '@switchyard/core';
import { openDatabase } from '@switchyard/db';
import { envProviderPresets, providerTypes } from '@switchyard/providers';
import { keysCreate, keysList, keysRevoke, policyExport, policyShow, usage } from './commands';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      route: { type: 'string' },
      hash: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      routes: { type: 'string' },
      models: { type: 'string' },
      'rate-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, argument] = positionals;
  if (values.help || !group) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ env: { SWITCHYARD_API_AUTH: 'off', ...process.env }, knownProviderTypes: providerTypes, envProviderPresets });
  const database = await openDatabase(config, { logger: createLogger('warn', 'cli') });
  try {
    const run = async (): Promise<string | undefined> => {
      if (group === 'policy' && command === 'export') return policyExport(database.db, values);
      if (group === 'policy' && command === 'show') return policyShow(database.db, values);
      if (group === 'keys' && command === 'create') return keysCreate(database.db, { ...values, rateLimit: values['rate-limit'] });
      if (group === 'keys' && command === 'list') return keysList(database.db);
      if (group === 'keys' && command === 'revoke') return keysRevoke(database.db, argument);
      return undefined;
    };
    const output = await run();
    if (output === undefined) {
      console.error(`switchyard: unknown command "${positionals.join(' ')}"\n\n${usage}`);
      return 2;
    }
    console.log(output);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`switchyard: ${isSwitchyardError(error) ? error.message : (error as Error).message}`);
    process.exit(1);
  },
);
