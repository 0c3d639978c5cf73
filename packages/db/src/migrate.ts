import { Migrator, type MigrationResultSet, type Kysely } from 'kysely';
import { SwitchyardError } from '@switchyard/core';
import { migrations } from './migrations/index';

function migrator<T>(db: Kysely<T>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'switchyard_migrations',
    migrationLockTableName: 'switchyard_migrations_lock',
  });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((entry) => entry.status === 'Error')?.migrationName ?? 'unknown';
    throw new SwitchyardError('internal', `migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((entry) => entry.status === 'Success').map((entry) => entry.migrationName);
}

/** Apply every pending migration; returns the names applied (empty when already current). */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undo the most recent migration; returns its name. */
export async function migrateDown<T>(db: Kysely<T>): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}

export async function appliedMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((entry) => entry.executedAt !== undefined).map((entry) => entry.name);
}
