'use strict';
// helm/p2pmesh with mom.enabled (issue 12): the RabbitMQ StatefulSet and its Services, the Secret with
// the broker's credentials (generated once, kept across upgrades, or the user's own), Mom__Uri on every
// Bootstrap, PServer and PClient-API container from that Secret without the password in the pod spec,
// mom.uri for an external broker. The schema's rejections are in chart.test.js.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { helmTemplate } = require('./lib/tools');
const { validateObject } = require('./lib/validate');
const { assertReferences, find, env, envValue, podSpecs } = require('./lib/mesh');
const { withClusterSecrets } = require('./lib/chart-copy');

const b64 = text => Buffer.from(text).toString('base64');
const unb64 = text => Buffer.from(text, 'base64').toString();
/** The mesh containers: every PServer, PClient-API and Bootstrap. */
const meshContainers = objects => [
  ...find(objects, 'StatefulSet', 'mesh-peer').spec.template.spec.containers,
  ...find(objects, 'Deployment', 'mesh-bootstrap').spec.template.spec.containers,
];
const broker = objects => objects.filter(o => o.metadata.labels?.['app.kubernetes.io/component'] === 'mom');

describe('helm chart: mom (RabbitMQ)', () => {
  test('off by default: no broker, no Secret, no Mom__Uri', () => {
    const objects = helmTemplate('mesh');
    assert.deepEqual(broker(objects).map(o => `${o.kind}/${o.metadata.name}`), []);
    for (const c of meshContainers(objects)) {
      assert.equal(env(c, 'Mom__Uri'), undefined, c.name);
      assert.ok(!c.env.some(e => e.name.startsWith('MOM_')), c.name);
    }
  });

  test('mom.enabled=true: a RabbitMQ StatefulSet from the pinned official image, a headless and a client Service on 5672', () => {
    const objects = helmTemplate('mesh', ['--set', 'mom.enabled=true,mom.persistence.size=3Gi']);
    for (const o of objects) validateObject(o);
    assertReferences(objects);
    const sts = find(objects, 'StatefulSet', 'mesh-rabbitmq');
    const headless = find(objects, 'Service', 'mesh-rabbitmq-headless');
    const client = find(objects, 'Service', 'mesh-rabbitmq');
    assert.equal(sts.spec.replicas, 1);
    assert.equal(sts.spec.serviceName, headless.metadata.name);
    assert.equal(headless.spec.clusterIP, 'None');
    assert.notEqual(client.spec.clusterIP, 'None');
    assert.deepEqual(client.spec.ports.find(p => p.name === 'amqp'), { name: 'amqp', port: 5672, targetPort: 'amqp' });
    const pod = sts.spec.template.spec;
    const [rabbitmq] = pod.containers;
    assert.match(rabbitmq.image, /^rabbitmq:\d+\.\d+\.\d+-management$/, 'the official image, pinned to a release');
    assert.equal(pod.initContainers[0].image, rabbitmq.image);
    assert.deepEqual(rabbitmq.readinessProbe.exec.command, ['rabbitmq-diagnostics', '-q', 'check_port_connectivity']);
    assert.deepEqual(rabbitmq.livenessProbe.exec.command, ['rabbitmq-diagnostics', '-q', 'ping']);
    assert.ok(rabbitmq.resources.limits.memory && rabbitmq.resources.requests.cpu);
    assert.equal(pod.securityContext.runAsUser, 999, 'the image\'s rabbitmq user');
    // Data on a PVC from volumeClaimTemplates, of mom.persistence.size; the Erlang cookie copied from the Secret.
    assert.deepEqual(sts.spec.volumeClaimTemplates.map(t => [t.metadata.name, t.spec.resources.requests.storage]), [['data', '3Gi']]);
    assert.ok(rabbitmq.volumeMounts.some(m => m.name === 'data' && m.mountPath === '/var/lib/rabbitmq'));
    assert.ok(!pod.volumes.some(v => v.name === 'data'));
    const cookie = pod.volumes.find(v => v.name === 'erlang-cookie').secret;
    assert.deepEqual([cookie.secretName, cookie.items.map(i => i.key)], ['mesh-mom', ['erlang-cookie']]);
    assert.match(pod.initContainers[0].args[0], /\/var\/lib\/rabbitmq\/\.erlang\.cookie && chmod 400 /);
    // Its user from the Secret.
    for (const [name, key] of [['RABBITMQ_DEFAULT_USER', 'username'], ['RABBITMQ_DEFAULT_PASS', 'password']]) {
      assert.deepEqual(env(rabbitmq, name).valueFrom, { secretKeyRef: { name: 'mesh-mom', key } });
    }
  });

  test('mom.persistence.enabled=false: the broker\'s data on an emptyDir', () => {
    const sts = find(helmTemplate('mesh', ['--set', 'mom.enabled=true,mom.persistence.enabled=false']), 'StatefulSet', 'mesh-rabbitmq');
    assert.equal(sts.spec.volumeClaimTemplates, undefined);
    assert.deepEqual(sts.spec.template.spec.volumes.find(v => v.name === 'data'), { name: 'data', emptyDir: {} });
  });

  test('the Secret: username, a random URI-safe password and Erlang cookie, kept on uninstall', () => {
    const objects = helmTemplate('mesh', ['--set', 'mom.enabled=true,mom.auth.username=mesh-user']);
    const secret = find(objects, 'Secret', 'mesh-mom');
    assert.deepEqual(Object.keys(secret.data).sort(), ['erlang-cookie', 'password', 'username']);
    assert.equal(unb64(secret.data.username), 'mesh-user');
    assert.match(unb64(secret.data.password), /^[A-Za-z0-9]{32}$/);
    assert.match(unb64(secret.data['erlang-cookie']), /^[A-Za-z0-9]{48}$/);
    assert.equal(secret.metadata.annotations['helm.sh/resource-policy'], 'keep');
    const again = find(helmTemplate('mesh', ['--set', 'mom.enabled=true']), 'Secret', 'mesh-mom');
    assert.notEqual(again.data.password, secret.data.password, 'generated per install');
  });

  test('Mom__Uri on every Bootstrap, PServer and PClient-API container, composed from secretKeyRef: no password in any pod spec', () => {
    const objects = helmTemplate('mesh', ['--set', 'mom.enabled=true,peers=4']);
    const secret = find(objects, 'Secret', 'mesh-mom');
    const containers = meshContainers(objects);
    assert.deepEqual(containers.map(c => c.name), ['pserver', 'pclient-api', 'bootstrap']);
    for (const c of containers) {
      assert.equal(envValue(c, 'Mom__Uri'), 'amqp://$(MOM_USERNAME):$(MOM_PASSWORD)@mesh-rabbitmq:5672/', c.name);
      assert.deepEqual(env(c, 'MOM_USERNAME').valueFrom, { secretKeyRef: { name: 'mesh-mom', key: 'username' } }, c.name);
      assert.deepEqual(env(c, 'MOM_PASSWORD').valueFrom, { secretKeyRef: { name: 'mesh-mom', key: 'password' } }, c.name);
    }
    const password = unb64(secret.data.password);
    const rest = JSON.stringify(objects.filter(o => o.kind !== 'Secret'));
    assert.ok(!rest.includes(password) && !rest.includes(secret.data.password), 'the password is only in the Secret');
  });

  test('mom.auth.existingSecret: no Secret rendered, every reference to the user\'s', () => {
    const objects = helmTemplate('mesh', ['--set', 'mom.enabled=true,mom.auth.existingSecret=broker-creds']);
    assert.ok(!objects.some(o => o.kind === 'Secret' && o.metadata.name === 'mesh-mom'));
    assertReferences(objects, { externalSecrets: ['broker-creds'] });
    const refs = podSpecs(objects).flatMap(p => [...(p.spec.initContainers ?? []), ...p.spec.containers])
      .flatMap(c => c.env ?? []).map(e => e.valueFrom?.secretKeyRef?.name).filter(n => n && n !== 'mesh-directory-secrets' && n !== 'mesh-api-token');
    assert.ok(refs.length >= 8 && refs.every(n => n === 'broker-creds'), refs.join(','));
    assert.equal(find(objects, 'StatefulSet', 'mesh-rabbitmq').spec.template.spec.volumes.find(v => v.name === 'erlang-cookie').secret.secretName, 'broker-creds');
  });

  test('mom.uri: an external broker, no StatefulSet; its URI only in the Secret, read whole by secretKeyRef', () => {
    const uri = 'amqps://mesh:s3cret@broker.example:5671/p2p';
    const objects = helmTemplate('mesh', ['--set', `mom.enabled=true,mom.uri=${uri}`]);
    for (const o of objects) validateObject(o);
    assertReferences(objects);
    assert.deepEqual(broker(objects).map(o => `${o.kind}/${o.metadata.name}`), ['Secret/mesh-mom']);
    assert.deepEqual(find(objects, 'Secret', 'mesh-mom').stringData, { uri });
    for (const c of meshContainers(objects)) {
      assert.deepEqual(env(c, 'Mom__Uri').valueFrom, { secretKeyRef: { name: 'mesh-mom', key: 'uri' } }, c.name);
    }
    assert.ok(!JSON.stringify(objects.filter(o => o.kind !== 'Secret')).includes('s3cret'));
  });

  test('upgrades keep the password and cookie the cluster holds (lookup), and the username RabbitMQ was booted with', () => {
    const kept = { username: b64('p2pmesh'), password: b64('KeptPassword0123456789abcdefABCD'), 'erlang-cookie': b64('KeptCookie') };
    const objects = withClusterSecrets({ 'mesh-mom': kept }, copy => helmTemplate('mesh', ['--set', 'mom.enabled=true,mom.auth.username=renamed'], copy));
    assert.deepEqual(find(objects, 'Secret', 'mesh-mom').data, kept);
    // Another release's Secret is not taken.
    const other = withClusterSecrets({ 'other-mom': kept }, copy => helmTemplate('mesh', ['--set', 'mom.enabled=true'], copy));
    assert.notEqual(find(other, 'Secret', 'mesh-mom').data.password, kept.password);
  });
});
