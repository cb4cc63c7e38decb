'use strict';
// helm/p2pmesh: lint, render (default values; peers=5 with observability), validate every object
// against the Kubernetes schemas, and check the deployment's properties; values.schema.json rejects
// bad values; NOTES.txt and the `helm test` hook.
const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helmBin, run, runOk, helmTemplate, parseObjects, chartDir, here } = require('./lib/tools');
const { validateObject, typeCheck } = require('./lib/validate');
const { assertMesh, podSpecs, find, envValue } = require('./lib/mesh');
const { renderingTests } = require('./lib/rendering-tests');

const names = { peer: 'mesh-peer', api: 'mesh-api', bootstrap: 'mesh-bootstrap', collector: 'mesh-otel-collector' };
const variants = {
  'default values': { args: [], expect: { peers: 3, storage: '1Gi', observability: false } },
  'peers=5, observability.enabled=true': { args: ['--set', 'peers=5,observability.enabled=true'], expect: { peers: 5, storage: '1Gi', observability: true } },
  'mom.enabled=true, directory.persistence.enabled=true': { args: ['--set', 'mom.enabled=true,directory.persistence.enabled=true'], expect: { peers: 3, storage: '1Gi', observability: false } },
};

describe('helm chart', () => {
  const rendered = {};
  let typeErrors;
  before(() => {
    for (const [name, v] of Object.entries(variants)) rendered[name] = helmTemplate('mesh', v.args);
    typeErrors = typeCheck(rendered);
  });

  for (const args of [[], ['--set', 'peers=5,observability.enabled=true'], ['--set', 'mom.enabled=true,directory.persistence.enabled=true'],
    ['--set', 'mom.enabled=true,mom.uri=amqps://u:p@broker.example:5671/,directory.auth.enabled=false,admission.required=false']]) {
    test(`helm lint --strict ${args.join(' ')}`.trim(), () => {
      const out = runOk(helmBin(), ['lint', chartDir, '--strict', ...args]);
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }

  for (const [name, v] of Object.entries(variants)) {
    describe(`helm template (${name})`, () => {
      renderingTests({ objects: () => rendered[name], typeErrors: () => typeErrors[name], minObjects: 7, names, expect: v.expect });
      test('standard app.kubernetes.io labels on every object', () => {
        for (const o of rendered[name]) {
          const labels = o.metadata.labels ?? {};
          for (const key of ['name', 'instance', 'version', 'component', 'part-of', 'managed-by']) {
            assert.ok(labels[`app.kubernetes.io/${key}`], `${o.kind}/${o.metadata.name}: app.kubernetes.io/${key}`);
          }
          assert.equal(labels['app.kubernetes.io/instance'], 'mesh');
          assert.equal(labels['app.kubernetes.io/managed-by'], 'Helm');
          assert.match(labels['helm.sh/chart'], /^p2pmesh-\d+\.\d+\.\d+/);
        }
      });
    });
  }

  test('images: <registry>/p2pmesh/<service>:<appVersion> by default; registry and tag from values', () => {
    const appVersion = /appVersion:\s*"?([^"\s]+)"?/.exec(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'))[1];
    const containers = objects => podSpecs(objects).flatMap(p => p.spec.containers);
    const images = objects => containers(objects).map(c => c.image);
    assert.deepEqual([...new Set(images(rendered['default values']))].sort(),
      ['bootstrap', 'pclient-api', 'pserver'].map(s => `ghcr.io/p2pmesh/${s}:${appVersion}`));
    const kind = helmTemplate('mesh', ['--set', 'image.registry=,image.tag=e2e,image.pullPolicy=Never']);
    assert.deepEqual([...new Set(images(kind))].sort(), ['p2pmesh/bootstrap:e2e', 'p2pmesh/pclient-api:e2e', 'p2pmesh/pserver:e2e']);
    assert.ok(containers(kind).every(c => c.imagePullPolicy === 'Never'));
  });

  test('values reach the services: degree, ttl, maxTtl, persistence, extraEnv', () => {
    const objects = helmTemplate('mesh', ['--set', 'degree=6,maxDegree=9,ttl=5,maxTtl=8,persistence.size=5Gi,persistence.storageClass=fast',
      '--set', 'extraEnv[0].name=Logging__LogLevel__Default,extraEnv[0].value=Debug']);
    const sts = find(objects, 'StatefulSet', 'mesh-peer');
    const [pserver, api] = sts.spec.template.spec.containers;
    assert.equal(envValue(pserver, 'Neighbours__TargetDegree'), '6');
    assert.equal(envValue(pserver, 'Neighbours__MaxDegree'), '9');
    assert.equal(envValue(pserver, 'Search__DefaultTtl'), '5');
    assert.equal(envValue(pserver, 'Search__MaxTtl'), '8');
    assert.equal(envValue(api, 'Api__DefaultTtl'), '5');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '5Gi');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, 'fast');
    for (const c of [pserver, api, find(objects, 'Deployment', 'mesh-bootstrap').spec.template.spec.containers[0]]) {
      assert.equal(envValue(c, 'Logging__LogLevel__Default'), 'Debug', `${c.name}: extraEnv`);
    }
    const none = find(helmTemplate('mesh', ['--set', 'persistence.storageClass=-']), 'StatefulSet', 'mesh-peer');
    assert.equal(none.spec.volumeClaimTemplates[0].spec.storageClassName, '');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, 'fast');
    assert.equal(find(helmTemplate('mesh'), 'StatefulSet', 'mesh-peer').spec.volumeClaimTemplates[0].spec.storageClassName, undefined);
  });

  describe('values.schema.json rejects bad values', () => {
    const bad = [
      ['--set', 'peers=0'], ['--set', 'peers=x'], ['--set-string', 'peers=5'], ['--set', 'peers=-3'], ['--set', 'degree=0'],
      ['--set', 'ttl=0'], ['--set', 'ttl=256'], ['--set', 'image.pullPolicy=Sometimes'], ['--set', 'persistence.accessMode=RWO'],
      ['--set', 'persistence.size=lots'], ['--set', 'observability.enabled=maybe'], ['--set', 'ports.api=70000'],
      ['--set', 'resources.pserver.requests.cpu=fast'], ['--set', 'peerz=3'],
      // issue 12: the broker and the directory
      ['--set-string', 'mom.enabled=yes'], ['--set', 'mom.enabled=yes'], ['--set', 'mom.uri=http://broker:5672/'], ['--set', 'mom.persistence.accessMode=RWO'],
      ['--set', 'mom.persistence.size=big'], ['--set', 'mom.persistence.enabled=1'], ['--set', 'mom.auth.username=a:b'], ['--set', 'mom.auth.existingSecret=Not_A_Name'],
      ['--set', 'mom.image=rabbit mq'], ['--set', 'mom.replicas=3'], ['--set', 'mom.resources.limits.memory=lots'],
      ['--set', 'directory.auth.enabled=maybe'], ['--set', 'directory.auth.existingSecret=UPPER'], ['--set', 'directory.auth.perPeer=true'],
      ['--set', 'directory.persistence.enabled=on'], ['--set', 'directory.persistence.size=lots'], ['--set', 'directory.persistence.accessMode=RWX'],
      ['--set', 'directory.persistence.existingClaim=bad_claim'],
    ];
    for (const args of bad) {
      test(args.join(' '), () => {
        const r = run(helmBin(), ['template', 'mesh', chartDir, ...args]);
        assert.notEqual(r.status, 0, 'helm template must fail');
        assert.match(r.stderr, /values don't meet the specifications of the schema/);
      });
    }
    test('--set ttl=9,maxTtl=8 (ttl above maxTtl, checked by the templates)', () => {
      const r = run(helmBin(), ['template', 'mesh', chartDir, '--set', 'ttl=9,maxTtl=8']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /ttl \(9\) must not exceed maxTtl \(8\)/);
    });
    test('--set mom.enabled=true,mom.uri=…,mom.auth.existingSecret=… (an external broker and in-cluster credentials)', () => {
      const r = run(helmBin(), ['template', 'mesh', chartDir, '--set', 'mom.enabled=true,mom.uri=amqp://broker:5672/,mom.auth.existingSecret=mine']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /mom\.uri \(an external broker\) and mom\.auth\.existingSecret .* exclude each other/);
    });
    test('--set mom.uri=… without mom.enabled', () => {
      const r = run(helmBin(), ['template', 'mesh', chartDir, '--set', 'mom.uri=amqp://broker:5672/']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /mom\.uri is set but mom\.enabled is false/);
    });
    test('--set degree=6,maxDegree=4 (maxDegree below degree)', () => {
      const r = run(helmBin(), ['template', 'mesh', chartDir, '--set', 'degree=6,maxDegree=4']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /maxDegree \(4\) must be at least degree \(6\)/);
    });
  });

  test('helm test hook: a Pod that puts a file into the first peer and searches for it from the last', () => {
    const pods = rendered['peers=5, observability.enabled=true'].filter(o => o.kind === 'Pod');
    assert.equal(pods.length, 1);
    const [pod] = pods;
    assert.equal(pod.metadata.annotations['helm.sh/hook'], 'test');
    assert.equal(pod.spec.restartPolicy, 'Never');
    const c = pod.spec.containers[0];
    assert.match(c.image, /\/p2pmesh\/pclient-api:/);
    assert.equal(envValue(c, 'FIRST_API'), 'http://mesh-peer-0.mesh-peer.default.svc.cluster.local:8080');
    assert.equal(envValue(c, 'LAST_API'), 'http://mesh-peer-4.mesh-peer.default.svc.cluster.local:8080');
    const script = c.args.join('\n');
    assert.match(script, /p2pmesh put /);
    assert.match(script, /p2pmesh search "\$FILE_NAME" --api "\$LAST_API" --json \| grep -q "\$sha"/);
    // The script is valid POSIX shell.
    const sh = run('sh', ['-n', '-c', script]);
    assert.equal(sh.status, 0, sh.stderr);
  });

  test('NOTES.txt prints the kubectl exec … p2pmesh search line', () => {
    // `helm install --dry-run` needs a cluster (it asks the API server for its version), and
    // `helm template` skips NOTES.txt. So render it through the same engine from a copy of the chart,
    // where NOTES.txt becomes a named template that a ConfigMap includes.
    const copy = fs.mkdtempSync(path.join(here, '.work', 'notes-'));
    try {
      fs.cpSync(chartDir, copy, { recursive: true });
      const notes = fs.readFileSync(path.join(copy, 'templates', 'NOTES.txt'), 'utf8');
      fs.rmSync(path.join(copy, 'templates', 'NOTES.txt'));
      fs.writeFileSync(path.join(copy, 'templates', 'zz-notes.yaml'),
        `{{- define "test.notes" -}}\n${notes}\n{{- end -}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ include "test.notes" . | quote }}\n`);
      const render = args => parseObjects(runOk(helmBin(), ['template', 'mesh', copy, '--namespace', 'p2p', '--show-only', 'templates/zz-notes.yaml', ...args]))[0].data.notes;
      const plain = render(['--set', 'peers=5']);
      assert.match(plain, /^ {2}kubectl exec -n p2p mesh-peer-0 -c pclient-api -- p2pmesh search '\*\.iso'$/m);
      assert.match(plain, /5 peer\(s\) in StatefulSet mesh-peer/);
      assert.doesNotMatch(plain, /port-forward/);
      const observed = render(['--set', 'observability.enabled=true']);
      assert.match(observed, /kubectl port-forward -n p2p svc\/mesh-jaeger 16686/);
      assert.match(observed, /kubectl port-forward -n p2p svc\/mesh-grafana 3000/);
      assert.doesNotMatch(observed, /rabbitmq/);
      assert.match(render(['--set', 'mom.enabled=true']), /^  kubectl port-forward -n p2p svc\/mesh-rabbitmq 15672 /m);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('the dashboard ConfigMap holds the chart\'s dashboards/p2pmesh-flood.json, as valid JSON', () => {
    const file = fs.readFileSync(path.join(chartDir, 'dashboards', 'p2pmesh-flood.json'), 'utf8');
    const cm = find(rendered['peers=5, observability.enabled=true'], 'ConfigMap', 'mesh-grafana-dashboards');
    const text = cm.data['p2pmesh-flood.json'];
    assert.equal(text, file.replace(/\n$/, ''), 'verbatim, but for the final newline');
    assert.deepEqual(JSON.parse(text), JSON.parse(file));
    assert.equal(JSON.parse(text).uid, 'p2pmesh-flood');
  });

  test('a renamed release and fullnameOverride keep every reference consistent', () => {
    const objects = helmTemplate('other', ['--set', 'fullnameOverride=p2p,observability.enabled=true,peers=2']);
    for (const o of objects) validateObject(o);
    assertMesh(objects, { peer: 'p2p-peer', api: 'p2p-api', bootstrap: 'p2p-bootstrap', collector: 'p2p-otel-collector' },
      { peers: 2, storage: '1Gi', observability: true });
  });
});
