'use strict';
// The validators themselves: they must reject what kubeconform -strict rejects, or the other suites
// prove nothing.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { validateObject, typeCheck } = require('./lib/validate');

const service = () => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'peer' },
  spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { a: 'b' }, ports: [{ name: 'grpc', port: 7000, targetPort: 'grpc' }] },
});

test('a valid object passes both checks', () => {
  validateObject(service());
  assert.deepEqual(typeCheck({ ok: [service()] }).ok, []);
});

test('the schema check rejects a wrong type, a missing required field and a bad enum', () => {
  const wrongType = service();
  wrongType.spec.ports[0].port = '7000';
  assert.throws(() => validateObject(wrongType), /port must be integer/);
  const missing = service();
  delete missing.spec.ports[0].port;
  assert.throws(() => validateObject(missing), /must have required property '?port'?/);
  const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { selector: {}, serviceName: 'x', template: { spec: { containers: [] } }, podManagementPolicy: 7 } };
  assert.throws(() => validateObject(sts), /podManagementPolicy must be string/);
});

test('the schema check rejects unknown kinds and API versions', () => {
  assert.throws(() => validateObject({ ...service(), kind: 'Servce' }), /unknown apiVersion\/kind v1 Servce/);
  assert.throws(() => validateObject({ ...service(), apiVersion: 'v2' }), /unknown apiVersion\/kind v2 Service/);
  assert.throws(() => validateObject({ apiVersion: 'policy/v1beta2', kind: 'PodDisruptionBudget', metadata: { name: 'x' } }), /unknown apiVersion\/kind/);
  assert.throws(() => validateObject({ kind: 'Service' }), /not a Kubernetes object/);
});

test('the strict check rejects misspelled fields at any depth', () => {
  const top = service();
  top.spec.publishNotReadyAddress = true;
  const deep = service();
  deep.spec.ports[0].targetport = 'grpc';
  const errors = typeCheck({ top: [top], deep: [deep] });
  assert.match(errors.top.join('\n'), /Service\/peer: .*'"?publishNotReadyAddress"?' does not exist/);
  assert.match(errors.deep.join('\n'), /Service\/peer: .*'"?targetport"?' does not exist/);
});
