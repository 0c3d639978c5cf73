/**
 * Bundles the benchmark's router process (router-process.ts with Switchyard's own packages
 * inlined, third-party packages left as imports) into one file whose lines are kept, for
 * line-level CPU profiles: under tsx a module's code is a single line, so a profile can name a
 * function but not the line inside it. Prints the bundle's path, for `BENCH_ROUTER_ENTRY`.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Next to the sources, so that its third-party imports resolve from the same node_modules.
const outfile = join(here, '.router-process.bundle.mjs');
await build({
  entryPoints: [join(here, 'router-process.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [
    {
      name: 'third-party-external',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@switchyard/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
console.log(outfile);
