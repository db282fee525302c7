import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store test runs on. PostgreSQL needs
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (the README's test command sets it);
 * without it TestDatabases silently skips PostgreSQL, which `expectAllDatabases` catches.
 */
export const TEST_DATABASE_IDS: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];

export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: TEST_DATABASE_IDS });
}

/** Fails when a database was silently left out. */
export function expectAllDatabases(databases: TestDatabases) {
  expect(databases.eachSupportedId().flat()).toEqual(TEST_DATABASE_IDS);
}
