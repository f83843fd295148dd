import { ApiKeyConfigError, loadApiKeys } from './api-keys.js';
import { checkOpenAccess, type OpenAccessDecision } from './open-access.js';

/** The access-related start-up settings, as the CLI gathers them from flags and env. */
export interface AccessSettings {
  host: string;
  /** `IDEM_API_KEYS`. */
  apiKeys?: string | undefined;
  /** `--keys FILE`. */
  keysFile?: string | undefined;
  /** `--insecure-open`. */
  insecureOpen?: boolean | undefined;
}

/**
 * What the CLI calls before it starts the server (SPEC §7): loads the keys exactly as the
 * server will, and decides whether this host may be served. Print `notice` and start, or print
 * `message` and exit non-zero. A misconfigured key is a refusal, never a silent open server.
 */
export function checkAccessAtStartup(settings: AccessSettings): OpenAccessDecision {
  let keyCount: number;
  try {
    keyCount = loadApiKeys(settings).length;
  } catch (error) {
    if (error instanceof ApiKeyConfigError) return { ok: false, message: `idem: ${error.message}` };
    throw error;
  }
  return checkOpenAccess({ host: settings.host, keyCount, insecureOpen: settings.insecureOpen });
}
