'use strict';
// grpc-js client suite against a gRPC server speaking p2pmesh.testing.v1.Echo + health + reflection,
// then against a real PServer and a real Bootstrap (health and reflection as grpcurl and probes see them).
//
// Target (env INTEROP_TARGET):
//   dotnet (default) - `dotnet P2PMesh.Interop.Host.dll` (Echo on grpc-dotnet, hosted as the product hosts its
//                      services); INTEROP_HOST_DLL overrides the path.
//   grpcjs           - `node echo-server.js`, the grpc-js reference implementation: the control run that
//                      proves the tests themselves are right (the PServer and Bootstrap tests are skipped).
// Either child prints `LISTENING http://127.0.0.1:<port>` first and exits when its stdin closes.
// The PServer and Bootstrap are the Release builds of services/ (INTEROP_PSERVER_DLL, INTEROP_BOOTSTRAP_DLL override).

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http2 = require('node:http2');
const path = require('node:path');
const readline = require('node:readline');
const grpc = require('@grpc/grpc-js');
const os = require('node:os');
const protoLoader = require('@grpc/proto-loader');
const { loadPackageDefinition, PROTO_OPTIONS } = require('./echo-server.js');
const { service: healthServiceDefinition } = require('grpc-health-check');
const { FileDescriptorProto } = require('protobufjs/ext/descriptor');

const TARGET = process.env.INTEROP_TARGET || 'dotnet';
const IS_DOTNET = TARGET === 'dotnet';
const ECHO = 'p2pmesh.testing.v1.Echo';
const KiB = 1024;
const MiB = 1024 * KiB;
const TEST_TIMEOUT = 30_000;

const packageDefinition = loadPackageDefinition();
const proto = grpc.loadPackageDefinition(packageDefinition);
// Echo's methods as declared in echo.proto (the reflection tests compare against these).
const ECHO_METHODS = Object.keys(packageDefinition[ECHO]).sort();
const HealthClient = grpc.makeClientConstructor(healthServiceDefinition, 'grpc.health.v1.Health');

// ---------------------------------------------------------------------------------------------
// The target server process

let child;
const services = []; // the PServer and Bootstrap processes (last section)
let address; // host:port
let echo;
let health;
const clients = [];

function hostCommand() {
  if (TARGET === 'grpcjs') {
    return { command: process.execPath, args: [path.join(__dirname, 'echo-server.js')] };
  }
  if (!IS_DOTNET) throw new Error(`INTEROP_TARGET must be "dotnet" or "grpcjs", not "${TARGET}"`);
  const dll =
    process.env.INTEROP_HOST_DLL ||
    path.join(__dirname, 'P2PMesh.Interop.Host/bin/Release/net10.0/P2PMesh.Interop.Host.dll');
  if (!fs.existsSync(dll)) {
    throw new Error(
      `The .NET interop host was not found at ${dll}.\n` +
        'Build it first: dotnet build -c Release tests/interop/P2PMesh.Interop.Host ' +
        '(or set INTEROP_HOST_DLL, or INTEROP_TARGET=grpcjs for the grpc-js control run).',
    );
  }
  return { command: 'dotnet', args: [dll] };
}

/** Spawns the target and resolves with "127.0.0.1:port" once it printed its LISTENING line. */
function startTarget() {
  const { command, args } = hostCommand();
  child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk) => process.stderr.write(`[${TARGET} stderr] ${chunk}`));
  child.stdin.on('error', () => {}); // the child may already be gone when we close its stdin
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${TARGET} host printed no LISTENING line in 60 s`)), 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${TARGET} host exited before listening (code ${code}, signal ${signal})`));
    });
    const lines = readline.createInterface({ input: child.stdout });
    let listening = false;
    lines.on('line', (line) => {
      if (listening) return void process.stderr.write(`[${TARGET} stdout] ${line}\n`);
      const match = /^LISTENING http:\/\/(127\.0\.0\.1:\d+)\/?$/.exec(line.trim());
      if (!match) return void process.stderr.write(`[${TARGET} stdout, before LISTENING] ${line}\n`);
      listening = true;
      clearTimeout(timer);
      resolve(match[1]);
    });
  });
}

/** Closes stdin (the host's cue to exit), then SIGTERM, then SIGKILL if it still lingers. */
async function stopTarget() {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  const term = setTimeout(() => child.kill('SIGTERM'), 2000);
  const kill = setTimeout(() => child.kill('SIGKILL'), 6000);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}

function newClient(Ctor, options, target = address) {
  const client = new Ctor(target, grpc.credentials.createInsecure(), options);
  clients.push(client);
  return client;
}

before(async () => {
  address = await startTarget();
  echo = newClient(proto.p2pmesh.testing.v1.Echo);
  health = newClient(HealthClient);
});

after(async () => {
  for (const client of clients) client.close();
  await stopTarget();
});

// A parent that dies abruptly still closes the child's stdin pipe; this covers normal exits too.
process.on('exit', () => {
  for (const started of [child, ...services]) if (started && started.exitCode === null) started.kill('SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Helpers

const seconds = (s) => ({ seconds: String(Math.floor(s)), nanos: Math.round((s % 1) * 1e9) });
const deadlineIn = (ms) => new Date(Date.now() + ms);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let callCounter = 0;
const newCallId = (name) => `${name}-${process.pid}-${++callCounter}-${Date.now()}`;

/** Deterministic bytes: byte i is i % 251 (what both servers send for reply_size). */
function pattern(size) {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/**
 * Runs a unary-response call; resolves { reply, headers, status } or { error, headers, status }.
 * `start(callback)` must start the call and return it.
 */
function unaryOutcome(start) {
  return new Promise((resolve) => {
    let headers = null;
    let reply;
    let error;
    let settled = 0;
    const finish = (status) => resolve({ reply, error, headers, status });
    let status;
    const call = start((err, value) => {
      error = err || undefined;
      reply = value;
      if (++settled === 2) finish(status);
    });
    call.on('metadata', (md) => (headers = md));
    call.on('status', (s) => {
      status = s;
      if (++settled === 2) finish(status);
    });
  });
}

/** Reads a server stream to its end; resolves { replies, error, headers, status }. */
function collect(call) {
  return new Promise((resolve) => {
    const replies = [];
    let headers = null;
    let error;
    call.on('metadata', (md) => (headers = md));
    call.on('data', (reply) => replies.push(reply));
    call.on('error', (err) => (error = err));
    call.on('status', (status) => {
      // 'status' comes after the last 'data'/'error' for grpc-js calls.
      setImmediate(() => resolve({ replies, error, headers, status }));
    });
  });
}

/** A queue over a stream's 'data' events: next() resolves the next message or rejects on error/end. */
function messageQueue(call) {
  const items = [];
  const waiters = [];
  let failure = null;
  const push = (item) => (waiters.length ? waiters.shift()(item) : items.push(item));
  call.on('data', (message) => push({ message }));
  call.on('error', (err) => {
    failure = err;
    push({ error: err });
  });
  call.on('end', () => push({ end: true }));
  return {
    async next(timeoutMs = 10_000) {
      const item = items.length
        ? items.shift()
        : await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
            waiters.push((value) => {
              clearTimeout(timer);
              resolve(value);
            });
          });
      if (item.error) throw item.error;
      if (item.end) throw new Error('stream ended');
      return item.message;
    },
    get failure() {
      return failure;
    },
  };
}

function callOutcome(callId, waitSeconds) {
  return new Promise((resolve, reject) =>
    echo.GetCallOutcome({ call_id: callId, wait: seconds(waitSeconds) }, { deadline: deadlineIn(waitSeconds * 1000 + 5000) }, (err, reply) =>
      err ? reject(err) : resolve(reply),
    ),
  );
}

function describeStatus(outcome) {
  const s = outcome.status || outcome.error || {};
  return `code=${s.code} details=${JSON.stringify(s.details)} trailers=${JSON.stringify(s.metadata?.toJSON?.())}`;
}

// ---------------------------------------------------------------------------------------------
// Unary and streaming round trips

test('unary: message and a 100 KiB payload round-trip byte-identical', { timeout: TEST_TIMEOUT }, async () => {
  const payload = randomBytes(100 * KiB);
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'hello interop', payload }, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.equal(outcome.reply.message, 'hello interop');
  assert.equal(outcome.reply.index, 0);
  assert.ok(Buffer.isBuffer(outcome.reply.payload));
  assert.equal(Buffer.compare(outcome.reply.payload, payload), 0, 'payload differs');
  assert.equal(outcome.status.code, grpc.status.OK);
});

test('server streaming: reply_count 50 delivers indices 0..49 in order', { timeout: TEST_TIMEOUT }, async () => {
  const result = await collect(echo.ServerStream({ message: 'many', reply_count: 50 }));
  assert.equal(result.error, undefined, describeStatus(result));
  assert.deepEqual(
    result.replies.map((r) => r.index),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.ok(result.replies.every((r) => r.message === 'many'));
  assert.equal(result.status.code, grpc.status.OK);
});

test('server streaming: 3 replies of 1 MiB each (reply_size) arrive intact', { timeout: TEST_TIMEOUT }, async () => {
  const result = await collect(echo.ServerStream({ message: 'big', reply_count: 3, reply_size: MiB }));
  assert.equal(result.error, undefined, describeStatus(result));
  assert.equal(result.replies.length, 3);
  const expected = pattern(MiB);
  result.replies.forEach((reply, i) => {
    assert.equal(reply.index, i);
    assert.equal(reply.payload.length, MiB);
    assert.equal(Buffer.compare(reply.payload, expected), 0, `reply ${i}: payload is not byte i % 251`);
  });
});

test('client streaming: 100 messages are joined and counted', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => {
    const call = echo.ClientStream(cb);
    for (let i = 0; i < 100; i++) call.write({ message: `m${i}` });
    call.end();
    return call;
  });
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.equal(outcome.reply.message, Array.from({ length: 100 }, (_, i) => `m${i}`).join(','));
  assert.equal(outcome.reply.index, 100);
});

test('client streaming: zero messages yields index 0 and an empty message', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => {
    const call = echo.ClientStream(cb);
    call.end();
    return call;
  });
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.equal(outcome.reply.message, '');
  assert.equal(outcome.reply.index, 0);
});

test('duplex: 20 rounds of ping-pong prove true full duplex', { timeout: TEST_TIMEOUT }, async () => {
  // Each reply is awaited before the next request is written, so a server (or client) that buffers
  // until half-close would deadlock here instead of passing.
  const call = echo.Duplex();
  const replies = messageQueue(call);
  const ended = collect(call);
  for (let i = 0; i < 20; i++) {
    call.write({ message: `ping ${i}` });
    const reply = await replies.next(5000);
    assert.equal(reply.message, `ping ${i}`);
    assert.equal(reply.index, i);
  }
  call.end();
  const result = await ended;
  assert.equal(result.error, undefined, describeStatus(result));
  assert.equal(result.status.code, grpc.status.OK);
});

// ---------------------------------------------------------------------------------------------
// Errors

test('errors: fail_code 5 with a non-ASCII message arrives with the exact code and details', { timeout: TEST_TIMEOUT }, async () => {
  // grpc-message is percent-encoded UTF-8 on the wire; '%' itself must survive the round trip too.
  const message = 'fichier introuvable — ファイル 🚫 100%';
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'x', fail_code: 5, fail_message: message }, cb));
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.NOT_FOUND, describeStatus(outcome));
  assert.equal(outcome.error.details, message);
});

test('errors: ServerStream with fail_after_replies delivers the replies, then the error', { timeout: TEST_TIMEOUT }, async () => {
  const result = await collect(
    echo.ServerStream({ message: 'then fail', reply_count: 3, fail_code: 9, fail_message: 'stop here', fail_after_replies: true }),
  );
  assert.deepEqual(
    result.replies.map((r) => r.index),
    [0, 1, 2],
  );
  assert.ok(result.error, 'expected an error after the replies');
  assert.equal(result.error.code, grpc.status.FAILED_PRECONDITION, describeStatus(result));
  assert.equal(result.error.details, 'stop here');
});

test('errors: Echo.Unimplemented (declared in echo.proto, implemented by no server) is UNIMPLEMENTED', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => echo.Unimplemented({ message: 'x' }, cb));
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.UNIMPLEMENTED, describeStatus(outcome));
});

test('errors: UnregisteredService (declared in echo.proto, registered by no server) is UNIMPLEMENTED', { timeout: TEST_TIMEOUT }, async () => {
  const client = newClient(proto.p2pmesh.testing.v1.UnregisteredService);
  const outcome = await unaryOutcome((cb) => client.Unimplemented({ message: 'x' }, cb));
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.UNIMPLEMENTED, describeStatus(outcome));
});

test('errors: an unknown method of a known service is UNIMPLEMENTED', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await rawUnary(`/${ECHO}/Nope`);
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.UNIMPLEMENTED, describeStatus(outcome));
});

test('errors: a method of an unknown service is UNIMPLEMENTED', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await rawUnary('/no.such.v1.Service/Method');
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.UNIMPLEMENTED, describeStatus(outcome));
});

/** A unary call to an arbitrary path with pass-through (Buffer) serializers. */
function rawUnary(methodPath) {
  const Generic = grpc.makeGenericClientConstructor(
    {
      Call: {
        path: methodPath,
        requestStream: false,
        responseStream: false,
        requestSerialize: (b) => b,
        requestDeserialize: (b) => b,
        responseSerialize: (b) => b,
        responseDeserialize: (b) => b,
      },
    },
    'Generic',
  );
  const client = newClient(Generic);
  return unaryOutcome((cb) => client.Call(Buffer.from([0x0a, 0x02, 0x68, 0x69]), cb)); // EchoRequest{message:"hi"}
}

// ---------------------------------------------------------------------------------------------
// Deadlines and cancellation

test('deadline: a 5 s delay under a 300 ms deadline is DEADLINE_EXCEEDED, and the server saw it', { timeout: TEST_TIMEOUT }, async () => {
  const callId = newCallId('deadline');
  const started = Date.now();
  const outcome = await unaryOutcome((cb) =>
    echo.Unary({ message: 'slow', delay: seconds(5), call_id: callId }, { deadline: deadlineIn(300) }, cb),
  );
  const elapsed = Date.now() - started;
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.DEADLINE_EXCEEDED, describeStatus(outcome));
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  // The server handler's cancellation must have fired because of the deadline.
  const seen = await callOutcome(callId, 3);
  assert.deepEqual(seen, { state: 'CANCELLED', deadline_exceeded: true });
});

test('deadline: the server sees the propagated deadline (deadline_remaining_ms)', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'deadline' }, { deadline: deadlineIn(10_000) }, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  const remaining = Number(outcome.reply.deadline_remaining_ms);
  assert.ok(remaining > 5000 && remaining <= 10_000, `deadline_remaining_ms = ${remaining}`);
});

test('deadline: without a deadline the server reports deadline_remaining_ms -1', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'no deadline' }, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.equal(outcome.reply.deadline_remaining_ms, '-1');
});

test('cancellation: call.cancel() is CANCELLED on the client and reaches the server handler', { timeout: TEST_TIMEOUT }, async () => {
  const callId = newCallId('cancel');
  const started = Date.now();
  const pending = unaryOutcome((cb) => {
    const call = echo.Unary({ message: 'cancel me', delay: seconds(10), call_id: callId }, cb);
    setTimeout(() => call.cancel(), 200);
    return call;
  });
  const outcome = await pending;
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.CANCELLED, describeStatus(outcome));
  assert.ok(Date.now() - started < 2000);
  const seen = await callOutcome(callId, 3);
  assert.deepEqual(seen, { state: 'CANCELLED', deadline_exceeded: false });
});

test('call outcome: a call that ran to the end is COMPLETED', { timeout: TEST_TIMEOUT }, async () => {
  const callId = newCallId('complete');
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'done', call_id: callId }, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.deepEqual(await callOutcome(callId, 3), { state: 'COMPLETED', deadline_exceeded: false });
});

// ---------------------------------------------------------------------------------------------
// Metadata and limits

test('metadata: x-echo-* come back as headers (text and exact -bin bytes), x-trailer-* as trailers', { timeout: TEST_TIMEOUT }, async () => {
  const md = new grpc.Metadata();
  md.add('x-echo-text', 'hello world');
  md.add('x-echo-data-bin', Buffer.from([0, 1, 2, 255, 254]));
  md.add('x-trailer-t', 't1');
  md.add('x-other', 'not echoed');
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'md' }, md, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.ok(outcome.headers, 'no response headers seen');
  assert.deepEqual(outcome.headers.get('x-echo-text'), ['hello world']);
  const bin = outcome.headers.get('x-echo-data-bin');
  assert.equal(bin.length, 1);
  assert.deepEqual([...bin[0]], [0, 1, 2, 255, 254]);
  assert.deepEqual(outcome.headers.get('x-other'), []);
  assert.deepEqual(outcome.headers.get('x-trailer-t'), [], 'x-trailer-t must not be a header');
  assert.deepEqual(outcome.status.metadata.get('x-trailer-t'), ['t1']);
  assert.deepEqual(outcome.status.metadata.get('x-echo-text'), [], 'x-echo-text must not be a trailer');
});

test('metadata: x-trailer-* trailers also accompany an error status', { timeout: TEST_TIMEOUT }, async () => {
  const md = new grpc.Metadata();
  md.add('x-trailer-reason', 'why');
  md.add('x-trailer-blob-bin', Buffer.from([9, 0, 200]));
  const outcome = await unaryOutcome((cb) => echo.Unary({ fail_code: 7, fail_message: 'denied' }, md, cb));
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.PERMISSION_DENIED, describeStatus(outcome));
  assert.deepEqual(outcome.error.metadata.get('x-trailer-reason'), ['why'], describeStatus(outcome));
  assert.deepEqual([...outcome.error.metadata.get('x-trailer-blob-bin')[0]], [9, 0, 200]);
});

test('limits: a 5 MiB request exceeds the 4 MiB receive limit and is RESOURCE_EXHAUSTED', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'huge', payload: Buffer.alloc(5 * MiB, 7) }, cb));
  assert.ok(outcome.error, 'expected an error');
  assert.equal(outcome.error.code, grpc.status.RESOURCE_EXHAUSTED, describeStatus(outcome));
});

test('limits: the connection is still usable after a rejected oversized message', { timeout: TEST_TIMEOUT }, async () => {
  const outcome = await unaryOutcome((cb) => echo.Unary({ message: 'still here' }, cb));
  assert.equal(outcome.error, undefined, describeStatus(outcome));
  assert.equal(outcome.reply.message, 'still here');
});

// ---------------------------------------------------------------------------------------------
// Health (grpc-health-check's own client definition)

function healthCheck(service) {
  return new Promise((resolve) =>
    health.Check({ service }, { deadline: deadlineIn(5000) }, (error, reply) => resolve({ error, reply })),
  );
}

test('health: Check "" and Check "p2pmesh.testing.v1.Echo" are SERVING', { timeout: TEST_TIMEOUT }, async () => {
  for (const service of ['', ECHO]) {
    const { error, reply } = await healthCheck(service);
    assert.equal(error, null, `Check "${service}": ${error?.code} ${error?.details}`);
    assert.equal(reply.status, 'SERVING', `Check "${service}"`);
  }
});

test('health: Check of an unknown service is NOT_FOUND', { timeout: TEST_TIMEOUT }, async () => {
  const { error } = await healthCheck('no.such.Service');
  assert.ok(error, 'expected an error');
  assert.equal(error.code, grpc.status.NOT_FOUND, `${error.code} ${error.details}`);
});

test('health: Watch of an unknown service streams SERVICE_UNKNOWN and stays open', { timeout: TEST_TIMEOUT }, async () => {
  const call = health.Watch({ service: 'no.such.Service' });
  const updates = messageQueue(call);
  try {
    assert.equal((await updates.next(5000)).status, 'SERVICE_UNKNOWN');
    await sleep(300);
    assert.equal(updates.failure, null, 'the Watch call ended early');
  } finally {
    call.cancel();
  }
});

test('health: Watch "" streams SERVING, then NOT_SERVING and SERVING as the host flips', { timeout: TEST_TIMEOUT }, async () => {
  const call = health.Watch({ service: '' });
  const updates = messageQueue(call);
  try {
    assert.equal((await updates.next(5000)).status, 'SERVING');
    child.stdin.write('unhealthy\n');
    assert.equal((await updates.next(5000)).status, 'NOT_SERVING');
    child.stdin.write('healthy\n');
    assert.equal((await updates.next(5000)).status, 'SERVING');
  } finally {
    child.stdin.write('healthy\n');
    call.cancel();
  }
  // Check agrees once the flip is over.
  assert.equal((await healthCheck('')).reply?.status, 'SERVING');
});

// ---------------------------------------------------------------------------------------------
// Reflection (v1 and v1alpha are identical on the wire; each is served on its own path)

/** A reflection stream that answers requests one by one. */
function reflectionStream(version, target = address) {
  const Client = proto.grpc.reflection[version].ServerReflection;
  const client = newClient(Client, undefined, target);
  const call = client.ServerReflectionInfo();
  const responses = messageQueue(call);
  return {
    async ask(request) {
      call.write(request);
      return responses.next(5000);
    },
    close() {
      call.end();
    },
  };
}

function decodeFiles(response) {
  assert.equal(response.message_response, 'file_descriptor_response', JSON.stringify(response.error_response));
  return response.file_descriptor_response.file_descriptor_proto.map((bytes) => FileDescriptorProto.decode(bytes));
}

for (const version of ['v1', 'v1alpha']) {
  test(`reflection ${version}: list_services names Echo, Health and ServerReflection`, { timeout: TEST_TIMEOUT }, async () => {
    const stream = reflectionStream(version);
    try {
      const response = await stream.ask({ list_services: '' });
      assert.equal(response.message_response, 'list_services_response', JSON.stringify(response));
      const names = response.list_services_response.service.map((s) => s.name);
      for (const expected of [ECHO, 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection']) {
        assert.ok(names.includes(expected), `${expected} missing from ${JSON.stringify(names)}`);
      }
      // Reflection lists registered services only; echo.proto's UnregisteredService is never served.
      assert.ok(!names.includes('p2pmesh.testing.v1.UnregisteredService'), JSON.stringify(names));
    } finally {
      stream.close();
    }
  });

  test(
    `reflection ${version}: file_containing_symbol and file_by_filename return the real .proto files`,
    {
      timeout: TEST_TIMEOUT,
      skip: IS_DOTNET
        ? false
        : '@grpc/reflection merges each package into one synthetic file (p2pmesh_testing_v1.proto, ' +
          'google_protobuf.proto), so it cannot serve the real file names',
    },
    async () => {
      const stream = reflectionStream(version);
      try {
        // file_containing_symbol returns echo.proto and (transitively) what it imports.
        const bySymbol = decodeFiles(await stream.ask({ file_containing_symbol: ECHO }));
        const names = bySymbol.map((f) => f.name);
        assert.ok(names.includes('p2pmesh/testing/v1/echo.proto'), JSON.stringify(names));
        assert.ok(names.includes('google/protobuf/duration.proto'), JSON.stringify(names));
        const echoFile = bySymbol.find((f) => f.name === 'p2pmesh/testing/v1/echo.proto');
        assert.equal(echoFile.package, 'p2pmesh.testing.v1');
        assert.deepEqual(echoFile.dependency, ['google/protobuf/duration.proto']);
        const durationFile = bySymbol.find((f) => f.name === 'google/protobuf/duration.proto');
        assert.ok(durationFile.messageType.some((m) => m.name === 'Duration'));

        // file_by_filename on the same stream, with the name file_containing_symbol gave (what grpcurl does).
        const byName = decodeFiles(await stream.ask({ file_by_filename: 'p2pmesh/testing/v1/echo.proto' }));
        assert.deepEqual(byName.find((f) => f.name === 'p2pmesh/testing/v1/echo.proto')?.service.map((s) => s.name), [
          'Echo',
          'UnregisteredService',
        ]);
        // grpc.health.v1 comes from a library: Grpc.HealthCheck names its file "health.proto", not
        // "grpc/health/v1/health.proto"; whatever the name, asking for it by name must give that file.
        const [healthName] = decodeFiles(await stream.ask({ file_containing_symbol: 'grpc.health.v1.Health' })).map((f) => f.name);
        const healthFile = decodeFiles(await stream.ask({ file_by_filename: healthName })).find((f) => f.name === healthName);
        assert.ok(healthFile, healthName);
        assert.equal(healthFile.package, 'grpc.health.v1');
        assert.ok(healthFile.service.some((s) => s.name === 'Health'));
      } finally {
        stream.close();
      }
    },
  );

  test(`reflection ${version}: an unknown symbol is error_response NOT_FOUND and the stream stays usable`, { timeout: TEST_TIMEOUT }, async () => {
    const stream = reflectionStream(version);
    try {
      const missing = await stream.ask({ file_containing_symbol: 'no.such.Symbol' });
      assert.equal(missing.message_response, 'error_response', JSON.stringify(missing));
      assert.equal(missing.error_response.error_code, grpc.status.NOT_FOUND);

      // The same stream answers the next request: Echo's descriptor, with all five methods.
      const files = decodeFiles(await stream.ask({ file_containing_symbol: ECHO }));
      const service = files.flatMap((f) => f.service).find((s) => s.name === 'Echo');
      assert.ok(service, `Echo missing from ${JSON.stringify(files.map((f) => f.name))}`);
      assert.deepEqual(service.method.map((m) => m.name).sort(), ECHO_METHODS);
      const duplex = service.method.find((m) => m.name === 'Duplex');
      assert.equal(duplex.clientStreaming, true);
      assert.equal(duplex.serverStreaming, true);
      assert.equal(duplex.inputType.replace(/^\./, ''), 'p2pmesh.testing.v1.EchoRequest');

      const listed = await stream.ask({ list_services: '' });
      assert.equal(listed.message_response, 'list_services_response', JSON.stringify(listed));
    } finally {
      stream.close();
    }
  });
}

test('reflection: the third-party grpc-js-reflection-client lists services and Echo methods (v1 and v1alpha)', { timeout: TEST_TIMEOUT }, async () => {
  const { GrpcReflection } = require('grpc-js-reflection-client');
  for (const version of ['v1', 'v1alpha']) {
    const reflection = new GrpcReflection(address, grpc.credentials.createInsecure(), {}, version);
    try {
      const services = await reflection.listServices();
      assert.ok(services.includes(ECHO), `${version}: ${JSON.stringify(services)}`);
      assert.ok(services.includes('grpc.health.v1.Health'), `${version}: ${JSON.stringify(services)}`);
      // listMethods fetches echo.proto and resolves its import (duration.proto) by file name.
      const methods = (await reflection.listMethods(ECHO)).map((m) => m.name).sort();
      assert.deepEqual(methods, ECHO_METHODS, version);
    } finally {
      reflection.client.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Raw HTTP/2 (below grpc-js): what a non-gRPC or broken client gets

/** One request on a fresh HTTP/2 connection; resolves { headers, trailers, body }. */
function rawRequest(headers, body) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${address}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ...headers });
    const chunks = [];
    let responseHeaders = null;
    let trailers = {};
    req.on('response', (h) => (responseHeaders = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('error', reject);
    req.on('close', () => {
      session.close();
      resolve({ headers: responseHeaders, trailers, body: Buffer.concat(chunks), rstCode: req.rstCode });
    });
    req.setTimeout(10_000, () => req.close(http2.constants.NGHTTP2_CANCEL));
    req.end(body);
  });
}

/** grpc-status from the trailers, or from the headers of a Trailers-Only response. */
const grpcStatusOf = (res) => res.trailers['grpc-status'] ?? res.headers?.['grpc-status'];

function frame(message) {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

const unaryMethod = packageDefinition[ECHO].Unary;

test('raw http2: a well-formed gRPC request gets 200, a framed reply and grpc-status 0', { timeout: TEST_TIMEOUT }, async () => {
  // Checks the raw harness itself against both servers.
  const res = await rawRequest(
    { ':path': `/${ECHO}/Unary`, 'content-type': 'application/grpc', te: 'trailers' },
    frame(unaryMethod.requestSerialize({ message: 'raw' })),
  );
  assert.equal(res.headers?.[':status'], 200, JSON.stringify(res.headers));
  assert.match(String(res.headers['content-type']), /^application\/grpc/);
  assert.equal(grpcStatusOf(res), '0', JSON.stringify({ headers: res.headers, trailers: res.trailers }));
  assert.equal(res.body[0], 0, 'compressed flag');
  assert.equal(res.body.readUInt32BE(1), res.body.length - 5, 'frame length');
  assert.equal(unaryMethod.responseDeserialize(res.body.subarray(5)).message, 'raw');
});

test('raw http2: content-type text/plain is answered with HTTP 415', { timeout: TEST_TIMEOUT }, async () => {
  const res = await rawRequest({ ':path': `/${ECHO}/Unary`, 'content-type': 'text/plain' }, Buffer.from('hello'));
  assert.equal(res.headers?.[':status'], 415, JSON.stringify({ headers: res.headers, trailers: res.trailers }));
});

test(
  'raw http2: a frame claiming 10 bytes with only 3 before end of stream is grpc-status 13 (INTERNAL)',
  {
    timeout: TEST_TIMEOUT,
    skip: IS_DOTNET
      ? false
      : 'grpc-js drops a truncated trailing frame and answers UNIMPLEMENTED "Received no request message"; ' +
        'grpc-dotnet and grpc-go answer INTERNAL',
  },
  async () => {
    const truncated = Buffer.from([0, 0, 0, 0, 10, 1, 2, 3]);
    const res = await rawRequest({ ':path': `/${ECHO}/Unary`, 'content-type': 'application/grpc', te: 'trailers' }, truncated);
    assert.equal(res.headers?.[':status'], 200, JSON.stringify(res.headers));
    assert.equal(grpcStatusOf(res), '13', JSON.stringify({ headers: res.headers, trailers: res.trailers }));
  },
);

// ---------------------------------------------------------------------------------------------
// The product's services: a real PServer and a real Bootstrap (services/, built Release), each on
// 127.0.0.1 and a free port, checked as grpcurl and the chart's grpc: probes see them.

const repositoryRoot = path.resolve(__dirname, '../..');
const productDefinition = protoLoader.loadSync(['p2pmesh/v1/peer.proto', 'p2pmesh/v1/bootstrap.proto', 'p2pmesh/v1/directory.proto'], PROTO_OPTIONS);

const PRODUCT_SERVICES = [
  {
    name: 'PServer',
    dll: process.env.INTEROP_PSERVER_DLL || path.join(repositoryRoot, 'services/P2PMesh.PServer/bin/Release/net10.0/P2PMesh.PServer.dll'),
    service: 'p2pmesh.v1.Peer',
    file: 'p2pmesh/v1/peer.proto',
    // An empty share of its own (readiness: the share has been scanned), no bootstrap, no auto-discovery.
    args: (scratch) => [
      '--Peer:Id=interop-pserver',
      '--Peer:ListenAddress=127.0.0.1',
      '--Peer:GrpcPort=0',
      `--Content:ShareDirectory=${path.join(scratch, 'share')}`,
      '--Content:WatchForChanges=false',
      '--Neighbours:AutoDiscover=false',
    ],
  },
  {
    name: 'Bootstrap',
    dll: process.env.INTEROP_BOOTSTRAP_DLL || path.join(repositoryRoot, 'services/P2PMesh.Bootstrap/bin/Release/net10.0/P2PMesh.Bootstrap.dll'),
    service: 'p2pmesh.v1.Bootstrap',
    file: 'p2pmesh/v1/bootstrap.proto',
    args: () => ['--Bootstrap:ListenAddress=127.0.0.1', '--Bootstrap:GrpcPort=0'],
  },
  {
    // The directory is served by the Bootstrap process (one service, one image) next to p2pmesh.v1.Bootstrap.
    name: 'Directory',
    dll: process.env.INTEROP_BOOTSTRAP_DLL || path.join(repositoryRoot, 'services/P2PMesh.Bootstrap/bin/Release/net10.0/P2PMesh.Bootstrap.dll'),
    service: 'p2pmesh.v1.PeerDirectory',
    file: 'p2pmesh/v1/directory.proto',
    args: () => ['--Bootstrap:ListenAddress=127.0.0.1', '--Bootstrap:GrpcPort=0'],
  },
];

/**
 * Starts `dotnet DLL ARGS` (working directory: the DLL's folder, so it reads its appsettings.json, no OTLP
 * endpoint) and resolves with "127.0.0.1:port" from Kestrel's "Now listening on:" log line.
 */
function startService(name, dll, args) {
  if (!fs.existsSync(dll)) {
    throw new Error(`The ${name} was not found at ${dll}. Build it first: dotnet build -c Release ${path.dirname(path.dirname(path.dirname(path.dirname(dll))))}`);
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const started = spawn('dotnet', [dll, ...args], { cwd: path.dirname(dll), env, stdio: ['ignore', 'pipe', 'pipe'] });
  services.push(started);
  const output = [];
  started.stderr.on('data', (chunk) => output.push(String(chunk)));
  return {
    process: started,
    address: new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} logged no "Now listening on:" in 60 s:\n${output.join('')}`)), 60_000);
      started.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before listening (code ${code}, signal ${signal}):\n${output.join('')}`));
      });
      readline.createInterface({ input: started.stdout }).on('line', (line) => {
        output.push(`${line}\n`);
        const match = /Now listening on: http:\/\/(127\.0\.0\.1:\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    }),
  };
}

/** SIGTERM (a graceful stop), then SIGKILL if it lingers. */
async function stopService(started) {
  if (started.exitCode !== null || started.signalCode !== null) return;
  const exited = new Promise((resolve) => started.once('exit', resolve));
  started.kill('SIGTERM');
  const kill = setTimeout(() => started.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(kill);
}

for (const product of PRODUCT_SERVICES) {
  describe(`${product.name} (${product.service})`, { skip: IS_DOTNET ? false : 'the product services are checked in the dotnet run' }, () => {
    let scratch;
    let started;
    let target;
    let productHealth;

    before(async () => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'p2pmesh-interop-'));
      started = startService(product.name, product.dll, product.args(scratch));
      target = await started.address;
      productHealth = newClient(HealthClient, undefined, target);
    });

    after(async () => {
      if (started) await stopService(started.process);
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    const check = (service) =>
      new Promise((resolve) =>
        productHealth.Check({ service }, { deadline: deadlineIn(5000) }, (error, reply) => resolve({ error, reply })),
      );

    test('health: Watch "" becomes SERVING once the service is ready; Check "", the service and "liveness" are SERVING', { timeout: TEST_TIMEOUT }, async () => {
      // A PServer is ready once its share is scanned, a Bootstrap once it accepts joins: Watch shows it.
      const call = productHealth.Watch({ service: '' });
      const updates = messageQueue(call);
      try {
        for (let status = (await updates.next(10_000)).status; status !== 'SERVING'; status = (await updates.next(10_000)).status) {
          assert.equal(status, 'NOT_SERVING');
        }
      } finally {
        call.cancel();
      }
      for (const service of ['', product.service, 'liveness']) {
        const { error, reply } = await check(service);
        assert.equal(error, null, `Check "${service}": ${error?.code} ${error?.details}`);
        assert.equal(reply.status, 'SERVING', `Check "${service}"`);
      }
      const { error } = await check('no.such.Service');
      assert.equal(error?.code, grpc.status.NOT_FOUND, `Check "no.such.Service": ${error?.code} ${error?.details}`);
    });

    for (const version of ['v1', 'v1alpha']) {
      test(`reflection ${version}: list_services and file_containing_symbol ${product.service}`, { timeout: TEST_TIMEOUT }, async () => {
        const stream = reflectionStream(version, target);
        try {
          const listed = await stream.ask({ list_services: '' });
          assert.equal(listed.message_response, 'list_services_response', JSON.stringify(listed));
          const names = listed.list_services_response.service.map((s) => s.name);
          for (const expected of [product.service, 'grpc.health.v1.Health', `grpc.reflection.${version}.ServerReflection`]) {
            assert.ok(names.includes(expected), `${expected} missing from ${JSON.stringify(names)}`);
          }

          // The service's own .proto (protos/p2pmesh/v1) with its imports, and every method it declares.
          const files = decodeFiles(await stream.ask({ file_containing_symbol: product.service }));
          const fileNames = files.map((f) => f.name);
          assert.ok(fileNames.includes(product.file), JSON.stringify(fileNames));
          assert.ok(fileNames.includes('p2pmesh/v1/common.proto'), JSON.stringify(fileNames));
          const served = files.find((f) => f.name === product.file).service.find((s) => `p2pmesh.v1.${s.name}` === product.service);
          assert.deepEqual(served.method.map((m) => m.name).sort(), Object.keys(productDefinition[product.service]).sort());
        } finally {
          stream.close();
        }
      });
    }
  });
}
