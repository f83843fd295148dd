import type { Agent } from 'node:http';
import type { Store } from '../store/store.js';
import type { ResolvedProxyOptions } from './options.js';

/** What every request handler of one proxy instance shares. */
export interface ProxyContext {
  options: ResolvedProxyOptions;
  store: Store;
  /** Keep-alive connections to the upstream. */
  agent: Agent;
}
