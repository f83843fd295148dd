/** The idem library: declare resource types, get an engine, serve it. */
export { createEngine, ANONYMOUS, type Engine, type EngineOptions } from './engine/create-engine.js';
export type { EngineRequest, EngineResponse, ResourceDeclaration, EffectDeclaration, IdemConfig, Principal, Role, IdPolicy, JsonSchema } from './engine/types.js';
export { createServer, type CreateServerOptions } from './server/create-server.js';
export { serve, type ServeOptions, type RunningServer } from './server/serve.js';
export { loadConfig, validateConfig, EXAMPLE_CONFIG_PATH } from './server/load-config.js';
export { openSqliteStore, type SqliteOptions } from './store/sqlite.js';
export { openStore } from './store/open-store.js';
export type { Store, StoreTx } from './store/store.js';
export { ProblemError, type Problem } from './http/problem.js';
export { problemKinds, problemType, PROBLEM_BASE } from './http/problem-types.js';
export { parseIdempotencyKey } from './idempotency/key.js';
export { requestFingerprint, canonicalJson } from './idempotency/fingerprint.js';
