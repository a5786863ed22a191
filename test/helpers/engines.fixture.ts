import { describe, it } from 'node:test';
import { ENGINES } from './database.js';

// A file as every repository suite is written, for test/database-engines.test.ts to run with and without
// DATABASE_URL (it connects to nothing).
for (const engine of ENGINES) {
  describe(`a suite (${engine})`, () => {
    it('runs', () => undefined);
  });
}
