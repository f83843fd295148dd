/**
 * The one test suite every Store implementation must pass (store.ts), in the manner of
 * undici's cache-store contract tests: sqlite.test.ts and postgres.test.ts each call
 * `describeStoreContract` with a way to open a fresh, empty store, and both must behave
 * identically — including when transactions run concurrently.
 */
import { describe } from 'vitest';
import { describeConcurrencyContract } from './contract-concurrency.js';
import { describeDocumentContract } from './contract-documents.js';
import type { OpenStore } from './contract-fixtures.js';
import { describeIdempotencyContract } from './contract-idempotency.js';
import { describeListingContract } from './contract-listing.js';
import { describeOutboxContract } from './contract-outbox.js';

export type { OpenStore } from './contract-fixtures.js';

/**
 * Declare the Store contract tests for one implementation. `open` is called before every
 * test and must return a new, empty store; `cleanup` closes it and removes its data.
 */
export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    describeDocumentContract(open);
    describeListingContract(open);
    describeIdempotencyContract(open);
    describeOutboxContract(open);
    describeConcurrencyContract(open);
  });
}
