'use strict';
// grpc-js implementation of p2pmesh.testing.v1.Echo (tests/protos/p2pmesh/testing/v1/echo.proto),
// the reference twin of the C# EchoService (tests/P2PMesh.Testing). Also serves grpc.health.v1.Health
// (grpc-health-check) and server reflection v1 + v1alpha (@grpc/reflection).
//
// `node echo-server.js`: binds 127.0.0.1:0, prints exactly one stdout line
// `LISTENING http://127.0.0.1:<port>`, serves until SIGTERM/SIGINT or until stdin closes (so an
// orphaned child never outlives its parent). Stdin lines `unhealthy` / `healthy` flip every health
// status, like the .NET interop host.

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { HealthImplementation } = require('grpc-health-check');
const { ReflectionService } = require('@grpc/reflection');

const ECHO_SERVICE = 'p2pmesh.testing.v1.Echo';
const MAX_RECEIVE = 4 * 1024 * 1024; // the limit our services set (grpc-dotnet's default, AddGrpcEndpoint)
// A cancelled call counts as "deadline exceeded" when it ended no earlier than this before its
// deadline (timers may fire a millisecond early).
const DEADLINE_TOLERANCE_MS = 5;

/** The directory of an installed package (tests/interop/node_modules), for the .proto files it ships. */
const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`));

const PROTO_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [
    path.resolve(__dirname, '../protos'), // p2pmesh/testing/v1/echo.proto
    path.resolve(__dirname, '../../protos'), // p2pmesh/v1/*.proto: the product's services
    path.join(packageDir('grpc-health-check'), 'proto'), // health/v1/health.proto (grpc.health.v1)
    path.join(packageDir('@grpc/reflection'), 'build/proto'), // grpc/reflection/{v1,v1alpha}/reflection.proto
  ],
};

/** Loads echo.proto plus health and both reflection protos (the latter only for reflection's listing). */
function loadPackageDefinition() {
  return protoLoader.loadSync(
    [
      'p2pmesh/testing/v1/echo.proto',
      'health/v1/health.proto',
      'grpc/reflection/v1/reflection.proto',
      'grpc/reflection/v1alpha/reflection.proto',
    ],
    PROTO_OPTIONS,
  );
}

/** Deterministic payload bytes: byte i is i % 251 (the same as the C# EchoService.Pattern). */
function pattern(size) {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

function durationMs(duration) {
  if (!duration) return 0;
  return Number(duration.seconds || 0) * 1000 + Math.floor((duration.nanos || 0) / 1e6);
}

function deadlineOf(call) {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline.getTime();
  return Number(deadline); // a number of ms since the epoch, or Infinity
}

function remainingMs(call) {
  const deadline = deadlineOf(call);
  return Number.isFinite(deadline) ? String(Math.floor(deadline - Date.now())) : '-1';
}

/** Remembers how each named call ended as its handler saw it (Echo.GetCallOutcome). */
class CallOutcomes {
  constructor() {
    this.calls = new Map();
  }

  /** Marks callId running; call the returned function when the handler is done. */
  track(callId, call) {
    if (!callId) return () => {};
    const entry = { outcome: null, waiters: [] };
    this.calls.set(callId, entry);
    return () => {
      if (entry.outcome) return;
      const cancelled = call.cancelled === true;
      entry.outcome = {
        state: cancelled ? 'CANCELLED' : 'COMPLETED',
        deadline_exceeded: cancelled && Date.now() >= deadlineOf(call) - DEADLINE_TOLERANCE_MS,
      };
      for (const wake of entry.waiters.splice(0)) wake();
    };
  }

  /** UNKNOWN if never seen; RUNNING if it has not ended within waitMs. */
  async get(callId, waitMs) {
    const entry = this.calls.get(callId);
    if (!entry) return { state: 'UNKNOWN', deadline_exceeded: false };
    if (!entry.outcome && waitMs > 0) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        entry.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return entry.outcome ?? { state: 'RUNNING', deadline_exceeded: false };
  }
}

/** Sends x-echo-* request metadata as response headers; returns x-trailer-* as trailing metadata. */
function echoMetadata(call) {
  const headers = new grpc.Metadata();
  const trailers = new grpc.Metadata();
  let anyHeader = false;
  for (const [key, values] of Object.entries(call.metadata.toJSON())) {
    const target = key.startsWith('x-echo-') ? headers : key.startsWith('x-trailer-') ? trailers : null;
    if (!target) continue;
    for (const value of values) target.add(key, value);
    if (target === headers) anyHeader = true;
  }
  if (anyHeader) call.sendMetadata(headers);
  return trailers;
}

/** Waits request.delay, or less if the call is cancelled (client cancel or deadline). */
function delay(request, call) {
  const ms = durationMs(request.delay);
  if (ms <= 0 || call.cancelled) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      call.removeListener('cancelled', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    call.on('cancelled', done);
  });
}

function failure(request, trailers) {
  if (!request.fail_code) return null;
  return { code: request.fail_code, details: request.fail_message, metadata: trailers };
}

function reply(request, index, call) {
  return {
    message: request.message,
    payload: request.reply_size > 0 ? pattern(request.reply_size) : request.payload,
    index,
    deadline_remaining_ms: remainingMs(call),
  };
}

/** Writes one message, resolving once it is flushed or the call is cancelled. */
function write(call, message) {
  return new Promise((resolve) => {
    if (call.cancelled) return resolve();
    const done = () => {
      call.removeListener('cancelled', done);
      resolve();
    };
    call.on('cancelled', done);
    call.write(message, done);
  });
}

/** Yields the client's messages until it half-closes or the call is cancelled. */
async function* readAll(call) {
  const queue = [];
  let finished = false;
  let wake = null;
  const notify = () => wake?.();
  call.on('data', (message) => {
    queue.push(message);
    notify();
  });
  call.on('end', () => {
    finished = true;
    notify();
  });
  call.on('cancelled', () => {
    finished = true;
    notify();
  });
  for (;;) {
    if (queue.length > 0) {
      yield queue.shift();
    } else if (finished || call.cancelled) {
      return;
    } else {
      await new Promise((resolve) => (wake = resolve));
      wake = null;
    }
  }
}

function echoImplementation(outcomes) {
  return {
    async Unary(call, callback) {
      const request = call.request;
      const ended = outcomes.track(request.call_id, call);
      const trailers = echoMetadata(call);
      await delay(request, call);
      if (!call.cancelled) {
        const error = failure(request, trailers);
        if (error) callback(error);
        else callback(null, reply(request, 0, call), trailers);
      }
      ended();
    },

    async ServerStream(call) {
      const request = call.request;
      const ended = outcomes.track(request.call_id, call);
      const trailers = echoMetadata(call);
      try {
        await delay(request, call);
        if (call.cancelled) return;
        const error = failure(request, trailers);
        if (error && !request.fail_after_replies) return call.emit('error', error);
        const count = Math.max(1, request.reply_count);
        for (let i = 0; i < count && !call.cancelled; i++) await write(call, reply(request, i, call));
        if (call.cancelled) return;
        if (error) call.emit('error', error);
        else call.end(trailers);
      } finally {
        ended();
      }
    },

    async ClientStream(call, callback) {
      const trailers = echoMetadata(call);
      const messages = [];
      let last = null;
      for await (const request of readAll(call)) {
        messages.push(request.message);
        last = request;
        const error = failure(request, trailers);
        if (error) return callback(error);
      }
      if (call.cancelled) return;
      callback(
        null,
        {
          message: messages.join(','),
          payload: last ? last.payload : Buffer.alloc(0),
          index: messages.length,
          deadline_remaining_ms: remainingMs(call),
        },
        trailers,
      );
    },

    async Duplex(call) {
      const trailers = echoMetadata(call);
      let index = 0;
      for await (const request of readAll(call)) {
        await delay(request, call);
        if (call.cancelled) return;
        const error = failure(request, trailers);
        if (error) return call.emit('error', error);
        await write(call, reply(request, index++, call));
      }
      if (!call.cancelled) call.end(trailers);
    },

    async GetCallOutcome(call, callback) {
      const { call_id, wait } = call.request;
      callback(null, await outcomes.get(call_id, durationMs(wait)));
    },
  };
}

/**
 * Starts the server on host:port (port 0 = any free port).
 * Returns { server, port, health, setHealthy(bool), shutdown() }.
 */
async function startEchoServer({ host = '127.0.0.1', port = 0 } = {}) {
  const packageDefinition = loadPackageDefinition();
  const proto = grpc.loadPackageDefinition(packageDefinition);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE });

  // Echo.Unimplemented is left out on purpose: grpc-js answers it with UNIMPLEMENTED.
  server.addService(proto.p2pmesh.testing.v1.Echo.service, echoImplementation(new CallOutcomes()));

  const health = new HealthImplementation({ '': 'SERVING', [ECHO_SERVICE]: 'SERVING' });
  health.addToServer(server);
  // Reflection lists only what this server serves (echo.proto also declares UnregisteredService).
  new ReflectionService(packageDefinition, {
    services: [ECHO_SERVICE, 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'],
  }).addToServer(server);

  const boundPort = await new Promise((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );

  return {
    server,
    port: boundPort,
    health,
    setHealthy(healthy) {
      const status = healthy ? 'SERVING' : 'NOT_SERVING';
      health.setStatus('', status);
      health.setStatus(ECHO_SERVICE, status);
    },
    shutdown() {
      return new Promise((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

async function main() {
  const echo = await startEchoServer();
  process.stdout.write(`LISTENING http://127.0.0.1:${echo.port}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await echo.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // Stdin: health toggles; its end means the parent is gone.
  process.stdin.setEncoding('utf8');
  let pending = '';
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line === 'unhealthy') echo.setHealthy(false);
      else if (line === 'healthy') echo.setHealthy(true);
    }
  });
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { startEchoServer, loadPackageDefinition, PROTO_OPTIONS, pattern, ECHO_SERVICE };
