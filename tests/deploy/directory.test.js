'use strict';
// helm/p2pmesh's directory settings (issue 12): directory.auth (a Secret with one key per peer id,
// generated once and kept across upgrades, mounted read-only at Directory__SecretsDirectory in the
// Bootstrap and every PServer) and directory.persistence (the SQLite index on an emptyDir or a PVC).
// The schema's rejections are in chart.test.js.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { helmTemplate } = require('./lib/tools');
const { validateObject } = require('./lib/validate');
const { assertReferences, find, env, envValue } = require('./lib/mesh');
const { withClusterSecrets } = require('./lib/chart-copy');

const unb64 = text => Buffer.from(text, 'base64').toString();
const bootstrapOf = objects => find(objects, 'Deployment', 'mesh-bootstrap');
const peerOf = objects => find(objects, 'StatefulSet', 'mesh-peer');
/** The volume a container mounts at `dir`, or undefined. */
const volumeAt = (spec, container, dir) => {
  const mount = container.volumeMounts.find(m => m.mountPath === dir);
  return mount && { mount, volume: spec.volumes.find(v => v.name === mount.name) };
};

describe('helm chart: directory', () => {
  test('directory.auth on by default: one key per peer, named as the StatefulSet names its pods (Peer__Id)', () => {
    for (const peers of [3, 5]) {
      const objects = helmTemplate('mesh', ['--set', `peers=${peers}`]);
      const secret = find(objects, 'Secret', 'mesh-directory-secrets');
      const sts = peerOf(objects);
      assert.equal(envValue(sts.spec.template.spec.containers[0], 'Peer__Id'), '$(POD_NAME)', 'the peer id is the pod name');
      assert.deepEqual(Object.keys(secret.data).sort(), Array.from({ length: peers }, (_, i) => `${sts.metadata.name}-${i}`));
      const values = Object.values(secret.data).map(unb64);
      for (const v of values) assert.match(v, /^[A-Za-z0-9]{48}$/);
      assert.equal(new Set(values).size, peers, 'distinct secrets');
    }
  });

  test('mounted read-only at Directory__SecretsDirectory in the Bootstrap and every PServer, in the PClient-API only with admission', () => {
    const objects = helmTemplate('mesh', ['--set', 'admission.required=false']);
    assertReferences(objects);
    const bootstrap = bootstrapOf(objects).spec.template.spec;
    const peer = peerOf(objects).spec.template.spec;
    for (const [spec, name] of [[bootstrap, 'bootstrap'], [peer, 'pserver']]) {
      const c = spec.containers.find(x => x.name === name);
      const dir = envValue(c, 'Directory__SecretsDirectory');
      assert.ok(dir, `${name}: Directory__SecretsDirectory`);
      const at = volumeAt(spec, c, dir);
      assert.equal(at?.mount.readOnly, true, `${name}: mounted read-only`);
      assert.equal(at.volume.secret.secretName, 'mesh-directory-secrets', `${name}: the whole Secret`);
    }
    const api = peer.containers.find(x => x.name === 'pclient-api');
    assert.equal(env(api, 'Directory__SecretsDirectory'), undefined);
    assert.ok(!api.volumeMounts.some(m => m.name === 'directory-secrets'));
  });

  test('directory.auth.enabled=false: no Secret, no mount, no Directory__SecretsDirectory (PServers do not log in)', () => {
    const objects = helmTemplate('mesh', ['--set', 'directory.auth.enabled=false,admission.required=false']);
    assert.ok(!objects.some(o => o.kind === 'Secret' && !['mesh-tls', 'mesh-api-token'].includes(o.metadata.name)));
    for (const c of [...peerOf(objects).spec.template.spec.containers, ...bootstrapOf(objects).spec.template.spec.containers]) {
      assert.equal(env(c, 'Directory__SecretsDirectory'), undefined, c.name);
      assert.ok(!c.volumeMounts.some(m => m.name === 'directory-secrets'), c.name);
    }
  });

  test('directory.auth.existingSecret: no Secret rendered, the user\'s mounted', () => {
    const objects = helmTemplate('mesh', ['--set', 'directory.auth.existingSecret=peer-keys']);
    assert.ok(!objects.some(o => o.kind === 'Secret' && !['mesh-tls', 'mesh-api-token'].includes(o.metadata.name)));
    assertReferences(objects, { externalSecrets: ['peer-keys'] });
    for (const o of [bootstrapOf(objects), peerOf(objects)]) {
      assert.equal(o.spec.template.spec.volumes.find(v => v.name === 'directory-secrets').secret.secretName, 'peer-keys');
    }
  });

  test('upgrades keep every peer\'s key the cluster holds (lookup); new replicas get new keys, removed ones are dropped', () => {
    const kept = { 'mesh-peer-0': Buffer.from('kept-zero').toString('base64'), 'mesh-peer-1': Buffer.from('kept-one').toString('base64'), 'mesh-peer-7': 'c3RhbGU=' };
    const objects = withClusterSecrets({ 'mesh-directory-secrets': kept }, copy => helmTemplate('mesh', ['--set', 'peers=4'], copy));
    const data = find(objects, 'Secret', 'mesh-directory-secrets').data;
    assert.deepEqual(Object.keys(data).sort(), ['mesh-peer-0', 'mesh-peer-1', 'mesh-peer-2', 'mesh-peer-3']);
    assert.equal(data['mesh-peer-0'], kept['mesh-peer-0']);
    assert.equal(data['mesh-peer-1'], kept['mesh-peer-1']);
    for (const id of ['mesh-peer-2', 'mesh-peer-3']) assert.match(unb64(data[id]), /^[A-Za-z0-9]{48}$/);
  });

  test('directory.persistence off: Directory__DatabasePath on an emptyDir, a RollingUpdate spelled out', () => {
    const deployment = bootstrapOf(helmTemplate('mesh'));
    const spec = deployment.spec.template.spec;
    const c = spec.containers[0];
    const at = volumeAt(spec, c, path.posix.dirname(envValue(c, 'Directory__DatabasePath')));
    assert.deepEqual(at.volume, { name: at.mount.name, emptyDir: {} });
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('directory.persistence.enabled=true: a PVC for the index, one replica, the Recreate strategy; existingClaim', () => {
    const objects = helmTemplate('mesh', ['--set', 'directory.persistence.enabled=true,directory.persistence.size=2Gi,directory.persistence.storageClass=fast']);
    for (const o of objects) validateObject(o);
    const pvc = find(objects, 'PersistentVolumeClaim', 'mesh-bootstrap');
    assert.equal(pvc.spec.resources.requests.storage, '2Gi');
    assert.equal(pvc.spec.storageClassName, 'fast');
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteOnce']);
    const deployment = bootstrapOf(objects);
    assert.equal(deployment.spec.replicas, 1);
    assert.deepEqual(deployment.spec.strategy, { type: 'Recreate' });
    const spec = deployment.spec.template.spec;
    const c = spec.containers[0];
    const at = volumeAt(spec, c, path.posix.dirname(envValue(c, 'Directory__DatabasePath')));
    assert.deepEqual(at.volume.persistentVolumeClaim, { claimName: 'mesh-bootstrap' });

    const existing = helmTemplate('mesh', ['--set', 'directory.persistence.enabled=true,directory.persistence.existingClaim=index']);
    assert.ok(!existing.some(o => o.kind === 'PersistentVolumeClaim'));
    assert.deepEqual(bootstrapOf(existing).spec.template.spec.volumes.find(v => v.name === at.volume.name).persistentVolumeClaim, { claimName: 'index' });
  });
});
