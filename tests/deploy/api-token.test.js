'use strict';
// helm/p2pmesh's API token (issue 13, docs/security.md, Who can do what): apiToken.enabled (default true) gives every
// PClient-API a bearer token for its mutating endpoints from one Secret (Api__TokenFile on a read-only mount), hands
// it to the p2pmesh CLI in the same container and in the test pod (P2PMESH_API_TOKEN), generates the Secret once and
// keeps it across upgrades (lookup); an existing Secret replaces the generated one; false turns it off.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { helmTemplate } = require('./lib/tools');
const { assertReferences, find, envValue } = require('./lib/mesh');
const { withClusterSecrets } = require('./lib/chart-copy');

const peerSpec = objects => find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec;
const api = objects => peerSpec(objects).containers.find(c => c.name === 'pclient-api');
const testPod = objects => objects.find(o => o.kind === 'Pod' && o.metadata.name === 'mesh-test-search');
const cliToken = container => container.env.find(e => e.name === 'P2PMESH_API_TOKEN')?.valueFrom?.secretKeyRef;

describe('helm chart: the PClient-APIs\' bearer token', () => {
  test('on by default: the API reads the token file from the Secret, the CLI and the test pod get it as P2PMESH_API_TOKEN', () => {
    const objects = helmTemplate('mesh');
    assertReferences(objects);
    const secret = find(objects, 'Secret', 'mesh-api-token');
    const token = Buffer.from(secret.data.token, 'base64').toString();
    assert.match(token, /^[A-Za-z0-9]{48}$/);

    const container = api(objects);
    const file = envValue(container, 'Api__TokenFile');
    const mount = container.volumeMounts.find(m => file?.startsWith(m.mountPath + '/'));
    assert.ok(mount?.readOnly, 'Api__TokenFile is on a read-only mount');
    assert.equal(file.slice(mount.mountPath.length + 1), 'token');
    assert.equal(peerSpec(objects).volumes.find(v => v.name === mount.name).secret.secretName, 'mesh-api-token');
    assert.deepEqual(cliToken(container), { name: 'mesh-api-token', key: 'token' });
    assert.deepEqual(cliToken(testPod(objects).spec.containers[0]), { name: 'mesh-api-token', key: 'token' });
    // The PServer never needs it.
    assert.equal(peerSpec(objects).containers.find(c => c.name === 'pserver').env.some(e => e.name.startsWith('Api__Token')), false);
  });

  test('upgrades keep the token the cluster holds; a fresh install gets a new one', () => {
    const kept = Buffer.from('k'.repeat(48)).toString('base64');
    withClusterSecrets({ 'mesh-api-token': { token: kept } }, chart => {
      assert.equal(find(helmTemplate('mesh', [], chart), 'Secret', 'mesh-api-token').data.token, kept);
    });
    assert.notEqual(find(helmTemplate('mesh'), 'Secret', 'mesh-api-token').data.token, kept);
  });

  test('apiToken.existingSecret: nothing generated, the API and the CLIs read that Secret', () => {
    const objects = helmTemplate('mesh', ['--set', 'apiToken.existingSecret=my-token']);
    assert.equal(objects.some(o => o.kind === 'Secret' && o.metadata.name === 'mesh-api-token'), false);
    const container = api(objects);
    const mount = container.volumeMounts.find(m => envValue(container, 'Api__TokenFile').startsWith(m.mountPath + '/'));
    assert.equal(peerSpec(objects).volumes.find(v => v.name === mount.name).secret.secretName, 'my-token');
    assert.deepEqual(cliToken(container), { name: 'my-token', key: 'token' });
    assert.deepEqual(cliToken(testPod(objects).spec.containers[0]), { name: 'my-token', key: 'token' });
  });

  test('apiToken.enabled=false: no Secret, no token file, no P2PMESH_API_TOKEN', () => {
    const objects = helmTemplate('mesh', ['--set', 'apiToken.enabled=false']);
    assertReferences(objects);
    assert.equal(objects.some(o => o.kind === 'Secret' && o.metadata.name === 'mesh-api-token'), false);
    assert.equal(envValue(api(objects), 'Api__TokenFile'), undefined);
    assert.equal(cliToken(api(objects)), undefined);
    assert.equal(cliToken(testPod(objects).spec.containers[0]), undefined);
  });
});
