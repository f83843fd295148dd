import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Engine } from '../engine/create-engine.js';
import { JSON_PATCH, MERGE_PATCH } from '../http/media-type.js';
import { PROBLEM_MEDIA_TYPE, ProblemError } from '../http/problem.js';
import { registerDemoPayments } from './demo-payments.js';
import { fastifyErrorToProblem } from './fastify-errors.js';
import { registerPlugins } from './plugins/index.js';
import { requestIdGenerator } from './request-ids.js';
import { deferredChildLogger, requestLoggingOff } from './request-logger.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_IDEMPOTENCY_TTL_MS, loggerWithRedaction, type ServerOptions } from './server-options.js';

export interface CreateServerOptions extends Partial<ServerOptions> {
  /** Mount the demo payment service, its ledger in this SQLite file. */
  demoPaymentsDb?: string | undefined;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The Fastify adapter: every resource route goes to `engine.handle()` as a plain request, and
 * the plain response goes back on the wire. Bodies reach the engine as raw bytes, so media
 * types, JSON errors and limits are judged in one place, the engine.
 */
export async function createServer(engine: Engine, options: CreateServerOptions = {}): Promise<FastifyInstance> {
  const full: ServerOptions = {
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: options.logger ?? false,
    host: options.host ?? '127.0.0.1',
    idempotencyTtlMs: options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    ...options,
  };
  const logger = loggerWithRedaction(full.logger === true ? { level: 'info' } : full.logger);
  let rootLogger: FastifyBaseLogger | undefined;
  const app = Fastify({
    logger,
    ...(logger === false ? {} : { childLoggerFactory: deferredChildLogger, logController: new LogController({ disableRequestLogging: requestLoggingOff(() => rootLogger) }) }),
    bodyLimit: full.bodyLimit,
    exposeHeadRoutes: false,
    requestIdHeader: 'x-request-id',
    genReqId: requestIdGenerator(),
    return503OnClosing: true,
    // Errors Fastify meets before routing (a broken percent-encoding in the URL) are problems too.
    frameworkErrors: (error, request, reply) => {
      const problem = error.code === 'FST_ERR_BAD_URL' ? new ProblemError('not-found', `The URL ${JSON.stringify(request.url)} has a broken percent-encoding, so it names no resource.`) : fastifyErrorToProblem(error, full.bodyLimit);
      void sendProblem(reply, request, problem);
    },
  });

  rootLogger = app.log;
  app.removeAllContentTypeParsers();
  // The engine judges media types; Fastify only collects the bytes. The JSON types are named
  // as well as '*' because Fastify caches the parser it finds for a named type, while a
  // request that falls through to '*' has its Content-Type parsed again every time.
  const passBytes = (_request: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body);
  for (const type of ['application/json', MERGE_PATCH, JSON_PATCH, '*']) app.addContentTypeParser(type, { parseAs: 'buffer' }, passBytes);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, request, error);
    if ((error.statusCode ?? 500) >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, fastifyErrorToProblem(error, full.bodyLimit));
  });
  engine.events.on('failure', ({ error, requestId }: { error: unknown; requestId: string }) => app.log.error({ err: error, requestId }, 'engine failure'));

  // Graceful shutdown: requests in flight when close() starts still finish, but their
  // connections must not stay open in keep-alive, or close() would wait for the client's idle
  // timeout. So their responses say `Connection: close`, and connections that went idle
  // meanwhile are reaped until the server is closed.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
    const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
    app.server.once('close', () => clearInterval(reaper));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  if (options.demoPaymentsDb !== undefined) registerDemoPayments(app, options.demoPaymentsDb);
  await registerPlugins(app, engine, full);

  const toEngine = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    const q = url.indexOf('?');
    const response = await engine.handle({
      method: request.method,
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      headers: request.headers,
      body: request.body as Buffer | undefined,
      principal: request.principal,
      requestId: request.id,
    });
    reply.code(response.status);
    // for…in rather than reply.headers(): that copies Object.keys() first, on every request.
    const headers = response.headers;
    for (const name in headers) reply.header(name, headers[name]);
    if (draining) reply.header('connection', 'close');
    return reply.send(response.body);
  };
  app.route({ method: METHODS, url: '/*', handler: toEngine });
  app.setNotFoundHandler(toEngine);
  return app;
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, error: ProblemError): FastifyReply {
  const body = JSON.stringify({ ...error.problem, instance: request.url.split('?')[0], requestId: request.id });
  return reply.code(error.status).headers({ ...error.headers, 'content-type': PROBLEM_MEDIA_TYPE }).send(body);
}
