'use strict';
// helm/p2pmesh's admission settings (issue 13, docs/security.md): admission.required (default true) sets
// Admission__Required on the Bootstrap, every PServer and every PClient-API; the PClient-API then gets its peer's
// directory secret and the Bootstrap's address, with which it obtains its own peer token; admission without
// directory.auth is refused at render time.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { helmTemplate } = require('./lib/tools');
const { assertReferences, find, envValue } = require('./lib/mesh');

const containersOf = objects => [
  ...find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec.containers,
  ...find(objects, 'Deployment', 'mesh-bootstrap').spec.template.spec.containers,
];

describe('helm chart: admission', () => {
  test('on by default: Admission__Required=true in every container; the PClient-API mounts its secret and knows the Bootstrap', () => {
    const objects = helmTemplate('mesh');
    assertReferences(objects);
    for (const c of containersOf(objects)) assert.equal(envValue(c, 'Admission__Required'), 'true', c.name);
    const peer = find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec;
    const api = peer.containers.find(c => c.name === 'pclient-api');
    const dir = envValue(api, 'Directory__SecretsDirectory');
    assert.ok(dir, 'pclient-api: Directory__SecretsDirectory');
    assert.ok(api.volumeMounts.some(m => m.name === 'directory-secrets' && m.mountPath === dir && m.readOnly), 'pclient-api: the secrets mounted read-only');
    assert.match(envValue(api, 'Neighbours__Bootstrap'), /^mesh-bootstrap:\d+$/);
  });

  test('admission.required=false: no Admission__Required (the services admit anyone by default), no secret in the PClient-API', () => {
    const objects = helmTemplate('mesh', ['--set', 'admission.required=false']);
    for (const c of containersOf(objects)) assert.equal(envValue(c, 'Admission__Required'), undefined, c.name);
    const api = find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec.containers.find(c => c.name === 'pclient-api');
    assert.equal(envValue(api, 'Directory__SecretsDirectory'), undefined);
  });

  test('admission without directory.auth is refused at render time, saying why', () => {
    assert.throws(() => helmTemplate('mesh', ['--set', 'directory.auth.enabled=false']), /admission.required=true needs directory.auth.enabled=true/);
    assert.doesNotThrow(() => helmTemplate('mesh', ['--set', 'directory.auth.enabled=false,admission.required=false']));
  });
});
