import { startExampleServer } from '../../server/test-support/example-server.js';
import { startMemoryApi } from './memory-api.js';

/** A running API the client's contract tests run against. */
export interface Target {
  url: string;
  close(): Promise<void>;
}

/**
 * The APIs every client contract test runs against, by name: the real example API over a
 * socket (tickets, users, customers, orders…), and a tiny in-memory API written for these
 * tests, which pins the client's behaviour down independently of the engine. Tests only use
 * collections and documents that are valid on both.
 */
export const targets: Array<{ name: string; start: () => Promise<Target> }> = [
  { name: 'the example server', start: () => startExampleServer() },
  { name: 'the in-memory test API', start: startMemoryApi },
];
