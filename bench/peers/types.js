/**
 * The shape every peer module exports (JSDoc types only; bench is plain JavaScript).
 *
 * @typedef {object} PeerContext
 * @property {string} root   repository root
 * @property {string} dir    a fresh private directory for this instance (data + logs)
 * @property {number} scale  resources to store before the run
 * @property {Record<string, any>} [shared]  services shared by peers (`postgres`: the embedded server handle)
 *
 * @typedef {object} StoreCheck
 * @property {number | null} count   resources in the store after the server stopped
 * @property {boolean} intact        integrity check passed (SQLite integrity_check, db.json parses, …)
 * @property {string} how            what was checked, for the report
 *
 * @typedef {object} PeerInstance
 * @property {string} url
 * @property {import('../lib/process.js').ServerProcess | { pid: number, samplePeakRss: () => number, stop: () => Promise<void>, peakRssDetail?: { instances: number[], balancer: number } | null }} server
 *   the server process, or a group of them behind the bench's balancer (idem-postgres-x2)
 * @property {string} idsFile   JSON array of the seeded ids
 * @property {string} patchType the Content-Type its PATCH understands
 * @property {() => Promise<void>} stop
 * @property {() => Promise<StoreCheck | null>} verify  after stop(); null when there is no store
 * @property {string} [seedNote]
 * @property {Array<{ pid: number, tree?: boolean, role?: string }>} [cpuPids]  processes doing the server's work (default: the server);
 *   with a `role` each one's CPU share is also recorded (cpu.parts)
 *
 * @typedef {object} Peer
 * @property {string} name
 * @property {string} label
 * @property {string} description
 * @property {string} version
 * @property {string[]} ops   operations it implements (others are reported as n/a)
 * @property {(ctx: { root: string, shared: Record<string, any> }) => Promise<string | null>} unavailable  why it cannot run here, or null
 * @property {(ctx: PeerContext) => Promise<PeerInstance>} start
 */
export {};
