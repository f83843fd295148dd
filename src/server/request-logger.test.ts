import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { deferredChildLogger, requestLoggingOff } from './request-logger.js';

/** Fastify's pino root logger, writing JSON lines into an array. */
function rootLogger(level: string): { root: FastifyBaseLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const root = Fastify({ logger: { level, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } } }).log;
  return { root, lines };
}

function requestLogger(root: FastifyBaseLogger, reqId: string): FastifyBaseLogger {
  return deferredChildLogger.call({} as FastifyInstance, root, { reqId }, {}, {} as IncomingMessage);
}

describe('request logger', () => {
  it('writes the lines its level allows, each carrying the request id, and drops the rest', () => {
    const { root, lines } = rootLogger('warn');
    const log = requestLogger(root, 'req-1');
    log.info('not at warn');
    log.debug({ a: 1 }, 'not at warn either');
    log.warn({ detail: 'x' }, 'slow store');
    log.error('failed');
    expect(lines.map((l) => [l['msg'], l['reqId'], l['level']])).toEqual([
      ['slow store', 'req-1', 40],
      ['failed', 'req-1', 50],
    ]);
    expect(lines[0]?.['detail']).toBe('x');
  });

  it('follows the root level when it changes at run time', () => {
    const { root, lines } = rootLogger('warn');
    const log = requestLogger(root, 'req-2');
    log.info('dropped');
    root.level = 'info';
    log.info('kept');
    expect(lines.map((l) => l['msg'])).toEqual(['kept']);
    expect(log.level).toBe('info');
  });

  it('gives grandchildren both bindings, and its own level when one is set on it', () => {
    const { root, lines } = rootLogger('info');
    const log = requestLogger(root, 'req-3');
    log.child({ part: 'store' }).info('from a grandchild');
    log.level = 'error';
    log.warn('below the request logger\'s own level');
    log.error('at it');
    expect(lines.map((l) => [l['msg'], l['reqId'], l['part']])).toEqual([
      ['from a grandchild', 'req-3', 'store'],
      ['at it', 'req-3', undefined],
    ]);
  });

  it('turns Fastify\'s per-request info lines off exactly when info is not logged', () => {
    const { root } = rootLogger('warn');
    const off = requestLoggingOff(() => root);
    expect(off()).toBe(true);
    root.level = 'info';
    expect(off()).toBe(false);
    expect(requestLoggingOff(() => undefined)()).toBe(false);
  });
});
