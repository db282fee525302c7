import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store test runs on. PostgreSQL needs
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (the README's test command sets it);
 * without it TestDatabases silently skips PostgreSQL, which each suite checks.
 */
export const TEST_DATABASE_IDS: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];

export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: TEST_DATABASE_IDS });
}

/** The databases a suite will really run on; compare with TEST_DATABASE_IDS. */
export function supportedDatabases(databases: TestDatabases): TestDatabaseId[] {
  return databases.eachSupportedId().flat();
}
