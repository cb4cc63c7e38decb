'use strict';
// helm/p2pmesh's mutual TLS (issue 13, docs/security.md, Transport): tls.enabled (default true) mounts one
// kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt) into the Bootstrap, every PServer and every PClient-API and
// sets Tls__*; the chart's generated certificate chains to its CA, allows server and client authentication and
// names every address the mesh dials (each peer's advertised address, the Bootstrap's, 127.0.0.1); kubelet's grpc
// probes move to the plaintext probe port; cert-manager or an existing Secret replace the generated one; upgrades
// keep it; plaintext only when asked for.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { helmTemplate } = require('./lib/tools');
const { assertReferences, find, envValue } = require('./lib/mesh');
const { withClusterSecrets } = require('./lib/chart-copy');

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const unb64 = text => Buffer.from(text, 'base64').toString();
const peerSpec = objects => find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec;
const bootstrapSpec = objects => find(objects, 'Deployment', 'mesh-bootstrap').spec.template.spec;
const containersOf = objects => [
  ...peerSpec(objects).containers.map(c => [peerSpec(objects), c]),
  ...bootstrapSpec(objects).containers.map(c => [bootstrapSpec(objects), c]),
];

describe('helm chart: mutual TLS', () => {
  test('on by default: every container reads Tls__* files from the mounted TLS Secret', () => {
    const objects = helmTemplate('mesh');
    assertReferences(objects);
    for (const [spec, c] of containersOf(objects)) {
      assert.equal(envValue(c, 'Tls__Enabled'), 'true', c.name);
      for (const [key, file] of [['Tls__CertificateFile', 'tls.crt'], ['Tls__KeyFile', 'tls.key'], ['Tls__CaFile', 'ca.crt']]) {
        const value = envValue(c, key);
        assert.ok(value?.endsWith('/' + file), `${c.name}: ${key}`);
        const mount = c.volumeMounts.find(m => value.startsWith(m.mountPath + '/'));
        assert.ok(mount?.readOnly, `${c.name}: ${key} on a read-only mount`);
        assert.equal(spec.volumes.find(v => v.name === mount.name).secret.secretName, 'mesh-tls', `${c.name}: the chart's TLS Secret`);
      }
    }
  });

  test('the generated certificate chains to the CA, serves and authenticates clients, and names every address the mesh dials', () => {
    const objects = helmTemplate('mesh');
    const secret = find(objects, 'Secret', 'mesh-tls');
    assert.equal(secret.type, 'kubernetes.io/tls');
    const ca = new crypto.X509Certificate(unb64(secret.data['ca.crt']));
    const cert = new crypto.X509Certificate(unb64(secret.data['tls.crt']));
    const key = crypto.createPrivateKey(unb64(secret.data['tls.key']));
    assert.ok(ca.ca, 'ca.crt is a CA');
    assert.ok(!cert.ca, 'tls.crt is a leaf');
    assert.ok(cert.verify(ca.publicKey), 'tls.crt is signed by ca.crt');
    assert.ok(cert.checkPrivateKey(key), 'tls.key is the key of tls.crt');
    assert.deepEqual([SERVER_AUTH, CLIENT_AUTH].filter(oid => cert.keyUsage.includes(oid)), [SERVER_AUTH, CLIENT_AUTH]);

    const pserver = peerSpec(objects).containers.find(c => c.name === 'pserver');
    const advertised = envValue(pserver, 'Peer__AdvertisedAddress').replace('$(POD_NAME)', 'mesh-peer-2').replace('$(POD_NAMESPACE)', 'default');
    const bootstrap = envValue(pserver, 'Neighbours__Bootstrap');
    const api = peerSpec(objects).containers.find(c => c.name === 'pclient-api');
    for (const address of [advertised, bootstrap, 'mesh-bootstrap.default.svc.cluster.local:7100']) {
      const host = address.slice(0, address.lastIndexOf(':'));
      assert.ok(cert.checkHost(host), `the certificate names ${host}`);
    }
    assert.equal(cert.checkIP(envValue(api, 'Api__PServer').split(':')[0]), '127.0.0.1', 'the PClient-API dials its PServer at 127.0.0.1');
    assert.equal(cert.checkHost('mesh-peer-0.elsewhere.example'), undefined);
  });

  test('kubelet probes the plaintext probe port (Tls__ProbePort) of the PServer and the Bootstrap; the API keeps its HTTP probes', () => {
    const objects = helmTemplate('mesh', ['--set', 'ports.probe=7444']);
    for (const [, c] of containersOf(objects).filter(([, c]) => c.name !== 'pclient-api')) {
      assert.equal(envValue(c, 'Tls__ProbePort'), '7444', c.name);
      assert.ok(c.ports.some(p => p.name === 'probe' && p.containerPort === 7444), `${c.name}: the probe port declared`);
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe].filter(Boolean)) assert.equal(probe.grpc.port, 7444, c.name);
    }
    const api = peerSpec(objects).containers.find(c => c.name === 'pclient-api');
    assert.equal(envValue(api, 'Tls__ProbePort'), undefined);
    assert.ok(api.readinessProbe.httpGet);
  });

  test('tls.enabled=false: plaintext, no Secret, no Tls__*, probes on the gRPC ports', () => {
    const objects = helmTemplate('mesh', ['--set', 'tls.enabled=false']);
    assert.equal(objects.find(o => o.kind === 'Secret' && o.metadata.name === 'mesh-tls'), undefined);
    for (const [, c] of containersOf(objects)) {
      assert.equal(envValue(c, 'Tls__Enabled'), undefined, c.name);
      assert.ok(!c.volumeMounts.some(m => m.name === 'tls'), c.name);
    }
    const pserver = peerSpec(objects).containers.find(c => c.name === 'pserver');
    assert.equal(pserver.readinessProbe.grpc.port, pserver.ports.find(p => p.name === 'grpc').containerPort);
  });

  test('plaintext must be asked for: the schema refuses a tls block without enabled, or a non-boolean', () => {
    assert.throws(() => helmTemplate('mesh', ['--set', 'tls.enabled=null']), /enabled/);
    assert.throws(() => helmTemplate('mesh', ['--set-string', 'tls.enabled=no']), /enabled/);
  });

  test('tls.certManager.issuer: a cert-manager Certificate for the same names into the Secret every pod mounts, no generated Secret', () => {
    const objects = helmTemplate('mesh', ['--set', 'tls.certManager.issuer=mesh-ca,tls.certManager.issuerKind=ClusterIssuer']);
    const certificate = find(objects, 'Certificate', 'mesh-tls');
    const generated = new crypto.X509Certificate(unb64(find(helmTemplate('mesh'), 'Secret', 'mesh-tls').data['tls.crt']));
    assert.equal(objects.find(o => o.kind === 'Secret' && o.metadata.name === 'mesh-tls'), undefined);
    assert.equal(certificate.spec.secretName, 'mesh-tls');
    assert.deepEqual(certificate.spec.issuerRef, { name: 'mesh-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    assert.deepEqual(certificate.spec.usages.filter(u => u.endsWith(' auth')), ['server auth', 'client auth']);
    assert.deepEqual(certificate.spec.dnsNames.map(n => `DNS:${n}`).concat(certificate.spec.ipAddresses.map(ip => `IP Address:${ip}`)).sort(),
      generated.subjectAltName.split(', ').sort());
    assert.equal(peerSpec(objects).volumes.find(v => v.name === 'tls').secret.secretName, 'mesh-tls');
  });

  test('tls.existingSecret: nothing generated, every pod mounts that Secret', () => {
    const objects = helmTemplate('mesh', ['--set', 'tls.existingSecret=my-mesh-tls']);
    assert.equal(objects.find(o => o.metadata.name === 'mesh-tls'), undefined);
    for (const spec of [peerSpec(objects), bootstrapSpec(objects)]) assert.equal(spec.volumes.find(v => v.name === 'tls').secret.secretName, 'my-mesh-tls');
  });

  test('upgrades keep the CA and certificate the cluster holds (lookup); a fresh install gets a new CA', () => {
    const kept = find(helmTemplate('mesh'), 'Secret', 'mesh-tls').data;
    const upgraded = withClusterSecrets({ 'mesh-tls': kept }, copy => helmTemplate('mesh', [], copy));
    assert.deepEqual(find(upgraded, 'Secret', 'mesh-tls').data, kept);
    assert.notEqual(find(helmTemplate('mesh'), 'Secret', 'mesh-tls').data['ca.crt'], kept['ca.crt']);
  });
});
