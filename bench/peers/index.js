/** Every peer, in report order. */
import { ceiling } from './ceiling.js';
import { handwritten } from './handwritten.js';
import { jsonServer017, jsonServer1 } from './json-server.js';
import { idemSqlite, idemPostgres, idemPostgresX2 } from './idem.js';

/** @type {import('./types.js').Peer[]} */
export const PEERS = [ceiling, handwritten, jsonServer017, jsonServer1, idemSqlite, idemPostgres, idemPostgresX2];
