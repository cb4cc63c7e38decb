'use strict';
// k8s/: the kustomize base and each overlay render (`kubectl kustomize`), every object is valid against
// the Kubernetes schemas, and the deployment has the properties the chart has. The observability
// overlay's copies of the dashboard and the configs match the chart's. The directory-auth and mom
// components (issue 12) read secrets that k8s/generate-secrets.sh writes and git never holds: they are
// rendered from a scratch copy of k8s/ where the script has run.
const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { kustomize, k8sCopy, helmTemplate, k8sDir, chartDir, kubectlBin, run, runOk, repo } = require('./lib/tools');
const { typeCheck } = require('./lib/validate');
const { find, byComponent, envValue } = require('./lib/mesh');
const { renderingTests } = require('./lib/rendering-tests');

const names = { peer: 'peer', api: 'api', bootstrap: 'bootstrap', collector: 'otel-collector' };
const variants = {
  base: { expect: { peers: 3, storage: '1Gi', observability: false } },
  'overlays/dev': { expect: { peers: 3, storage: '256Mi', observability: false } },
  'overlays/observability': { expect: { peers: 3, storage: '1Gi', observability: true } },
  'overlays/directory-auth': { expect: { peers: 3, storage: '1Gi', observability: false } },
  'overlays/with-mom': { expect: { peers: 3, storage: '1Gi', observability: false } },
};
// Components are not built alone: each must be used by an overlay above.
const components = { 'components/directory-auth': ['overlays/directory-auth', 'overlays/with-mom'], 'components/mom': ['overlays/with-mom'] };

/** The chart's and an overlay's mesh containers, compared as sets (kustomize patches prepend env entries). */
const meshShape = (objects, { ordered = true } = {}) => {
  const sorted = list => (ordered ? list : [...list].sort());
  const sts = objects.find(o => o.kind === 'StatefulSet' && o.spec.template.spec.containers[0].name === 'pserver');
  const bootstrap = objects.find(o => o.kind === 'Deployment' && o.spec.template.spec.containers[0].name === 'bootstrap');
  return [...sts.spec.template.spec.containers, ...bootstrap.spec.template.spec.containers].map(c => ({
    name: c.name,
    env: sorted(c.env.map(e => e.name)),
    ports: c.ports,
    probes: [c.startupProbe, c.readinessProbe, c.livenessProbe],
    securityContext: c.securityContext,
    mounts: ordered ? c.volumeMounts : [...c.volumeMounts].sort((a, b) => a.name.localeCompare(b.name)),
  }));
};

test('every kustomization under k8s/ is covered here', () => {
  const found = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name === 'kustomization.yaml') found.push(path.relative(k8sDir, dir));
    }
  };
  walk(k8sDir);
  assert.deepEqual(found.sort(), [...Object.keys(variants), ...Object.keys(components)].sort());
  for (const [component, overlays] of Object.entries(components)) {
    for (const overlay of overlays) {
      assert.ok(YAML.parse(fs.readFileSync(path.join(k8sDir, overlay, 'kustomization.yaml'), 'utf8')).components.includes(`../../${component}`), `${overlay} uses ${component}`);
    }
  }
});

describe('kustomize', () => {
  const rendered = {};
  let typeErrors;
  before(() => {
    const copy = k8sCopy({ generateSecrets: true });
    try {
      for (const dir of Object.keys(variants)) rendered[dir] = kustomize(dir, copy);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    typeErrors = typeCheck(rendered);
  });

  for (const [dir, v] of Object.entries(variants)) {
    describe(`kubectl kustomize k8s/${dir}`, () => {
      renderingTests({ objects: () => rendered[dir], typeErrors: () => typeErrors[dir], minObjects: 6, names, expect: v.expect });
      test('labels: app.kubernetes.io/name, component, part-of on every object', () => {
        for (const o of rendered[dir]) {
          for (const key of ['name', 'component', 'part-of', 'managed-by']) {
            assert.ok(o.metadata.labels?.[`app.kubernetes.io/${key}`], `${o.kind}/${o.metadata.name}: app.kubernetes.io/${key}`);
          }
        }
      });
    });
  }

  test('the dev overlay: smaller requests and debug logs for the peers', () => {
    const [pserver, api] = find(rendered['overlays/dev'], 'StatefulSet', 'peer').spec.template.spec.containers;
    const [basePserver] = find(rendered.base, 'StatefulSet', 'peer').spec.template.spec.containers;
    assert.equal(pserver.resources.requests.cpu, '25m');
    assert.notDeepEqual(pserver.resources, basePserver.resources);
    for (const c of [pserver, api]) assert.equal(envValue(c, 'Logging__LogLevel__P2PMesh'), 'Debug');
  });

  test('the base mirrors the chart (directory.auth.enabled=false, admission.required=false, tls.enabled=false, apiToken.enabled=false): same containers, env names, ports and probes', () => {
    assert.deepEqual(meshShape(rendered.base), meshShape(helmTemplate('mesh', ['--set', 'directory.auth.enabled=false,admission.required=false,tls.enabled=false,apiToken.enabled=false'])));
  });

  // k8s/ has no TLS or API-token component (docs/security.md, Not built): the overlays mirror the chart without them.
  test('overlays/directory-auth mirrors the chart\'s defaults but TLS and the API token, overlays/with-mom the chart with mom.enabled=true', () => {
    assert.deepEqual(meshShape(rendered['overlays/directory-auth'], { ordered: false }), meshShape(helmTemplate('mesh', ['--set', 'tls.enabled=false,apiToken.enabled=false']), { ordered: false }));
    const chart = helmTemplate('mesh', ['--set', 'mom.enabled=true,tls.enabled=false,apiToken.enabled=false']);
    assert.deepEqual(meshShape(rendered['overlays/with-mom'], { ordered: false }), meshShape(chart, { ordered: false }));
    // The broker: the same pod as the chart's (image, ports, probes, env, mounts, security), one node.
    const broker = objects => {
      const sts = objects.find(o => o.kind === 'StatefulSet' && o.metadata.labels['app.kubernetes.io/component'] === 'mom');
      const pod = sts.spec.template.spec;
      return {
        replicas: sts.spec.replicas,
        claims: sts.spec.volumeClaimTemplates.map(t => t.spec),
        securityContext: pod.securityContext,
        containers: [...pod.initContainers, ...pod.containers].map(c => ({ ...c, env: c.env?.map(e => [e.name, e.valueFrom?.secretKeyRef?.key]) })),
        volumes: pod.volumes.map(v => v.name),
      };
    };
    assert.deepEqual(broker(rendered['overlays/with-mom']), broker(chart));
  });

  test('the directory-auth component: one key per peer (peer-0..2), mounted at Directory__SecretsDirectory in the Bootstrap, every PServer and PClient-API; admission on in all three', () => {
    const objects = rendered['overlays/directory-auth'];
    const secret = objects.find(o => o.kind === 'Secret' && o.metadata.name.startsWith('directory-secrets-'));
    assert.deepEqual(Object.keys(secret.data).sort(), ['peer-0', 'peer-1', 'peer-2']);
    for (const value of Object.values(secret.data)) assert.match(Buffer.from(value, 'base64').toString(), /^[A-Za-z0-9]{48}$/);
    const bootstrap = find(objects, 'Deployment', 'bootstrap').spec.template.spec;
    const peer = find(objects, 'StatefulSet', 'peer').spec.template.spec;
    for (const [spec, container] of [[bootstrap, 'bootstrap'], [peer, 'pserver'], [peer, 'pclient-api']]) {
      const c = spec.containers.find(x => x.name === container);
      assert.equal(envValue(c, 'Admission__Required'), 'true', `${container}: admission on`);
      const dir = envValue(c, 'Directory__SecretsDirectory');
      const mount = c.volumeMounts.find(m => m.mountPath === dir);
      assert.ok(mount?.readOnly, `${container}: the secrets mounted read-only at Directory__SecretsDirectory`);
      assert.equal(spec.volumes.find(v => v.name === mount.name).secret.secretName, secret.metadata.name, `${container}: the generated (hash-suffixed) Secret`);
    }
    assert.equal(envValue(peer.containers.find(c => c.name === 'pclient-api'), 'Neighbours__Bootstrap'), 'bootstrap:7100', 'the PClient-API asks the directory for its token');
  });

  test('the mom component: Mom__Uri on every mesh container from the generated Secret, no password in the manifests', () => {
    const objects = rendered['overlays/with-mom'];
    const secret = objects.find(o => o.kind === 'Secret' && o.metadata.name.startsWith('mom-'));
    assert.deepEqual(Object.keys(secret.data).sort(), ['erlang-cookie', 'password', 'username']);
    const password = Buffer.from(secret.data.password, 'base64').toString();
    assert.match(password, /^[A-Za-z0-9]{32}$/);
    const containers = [...find(objects, 'StatefulSet', 'peer').spec.template.spec.containers, ...find(objects, 'Deployment', 'bootstrap').spec.template.spec.containers];
    assert.deepEqual(containers.map(c => c.name), ['pserver', 'pclient-api', 'bootstrap']);
    for (const c of containers) {
      assert.equal(envValue(c, 'Mom__Uri'), 'amqp://$(MOM_USERNAME):$(MOM_PASSWORD)@rabbitmq:5672/', c.name);
      for (const [name, key] of [['MOM_USERNAME', 'username'], ['MOM_PASSWORD', 'password']]) {
        assert.deepEqual(c.env.find(e => e.name === name).valueFrom, { secretKeyRef: { name: secret.metadata.name, key } }, `${c.name}: ${name}`);
      }
    }
    const withoutSecrets = JSON.stringify(objects.filter(o => o.kind !== 'Secret'));
    assert.ok(!withoutSecrets.includes(password) && !withoutSecrets.includes(secret.data.password), 'the password appears only in the Secret');
    assert.ok(find(objects, 'Service', 'rabbitmq').spec.ports.some(p => p.port === 5672 && p.targetPort === 'amqp'));
  });

  test('no secret is committed: the components need k8s/generate-secrets.sh, which keeps what it made', () => {
    const tracked = runOk('git', ['ls-files', 'k8s'], { cwd: repo }).split('\n');
    assert.deepEqual(tracked.filter(f => f.split('/').includes('secrets')), [], 'no file under a secrets/ folder is tracked');
    const bare = k8sCopy();
    try {
      const r = run(kubectlBin(), ['kustomize', path.join(bare, 'overlays', 'with-mom')]);
      assert.notEqual(r.status, 0, 'kustomize fails without the generated secrets');
      assert.match(r.stderr, /secrets\/(directory|mom)\.env/);
      runOk('bash', [path.join(bare, 'generate-secrets.sh')]);
      const read = file => fs.readFileSync(path.join(bare, 'components', file), 'utf8');
      const [directory, mom] = [read('directory-auth/secrets/directory.env'), read('mom/secrets/mom.env')];
      const mode = fs.statSync(path.join(bare, 'components', 'mom', 'secrets', 'mom.env')).mode & 0o777;
      assert.equal(mode & 0o077, 0, 'the secret files are private to their owner');
      const out = runOk('bash', [path.join(bare, 'generate-secrets.sh'), '5']);
      assert.match(out, /generated peer-3/);
      const again = read('directory-auth/secrets/directory.env');
      assert.ok(again.startsWith(directory), 'peers 0-2 keep their keys');
      assert.deepEqual(again.trim().split('\n').map(l => l.split('=')[0]), ['peer-0', 'peer-1', 'peer-2', 'peer-3', 'peer-4']);
      assert.equal(read('mom/secrets/mom.env'), mom, 'the broker keeps its password and cookie');
      assert.equal(run('bash', [path.join(bare, 'generate-secrets.sh'), '0']).status, 2, 'a bad peer count is refused');
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  test('the observability overlay\'s dashboard is byte-identical to the chart\'s', () => {
    const chartFile = fs.readFileSync(path.join(chartDir, 'dashboards', 'p2pmesh-flood.json'));
    const copy = fs.readFileSync(path.join(k8sDir, 'overlays', 'observability', 'dashboards', 'p2pmesh-flood.json'));
    assert.ok(chartFile.equals(copy), 'cp helm/p2pmesh/dashboards/p2pmesh-flood.json k8s/overlays/observability/dashboards/');
    const cm = rendered['overlays/observability'].find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboards-'));
    assert.deepEqual(JSON.parse(cm.data['p2pmesh-flood.json']), JSON.parse(chartFile.toString('utf8')));
  });

  test('the observability overlay\'s collector, Prometheus and Grafana configs are the chart\'s', () => {
    const chart = helmTemplate('mesh', ['--set', 'observability.enabled=true']);
    const overlay = rendered['overlays/observability'];
    const data = (objects, prefix) => objects.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith(prefix)).data;
    const unprefix = text => YAML.parse(text.replaceAll('mesh-', ''));
    for (const [chartName, overlayName] of [['mesh-otel-collector', 'otel-collector-'], ['mesh-prometheus', 'prometheus-'], ['mesh-grafana-provisioning', 'grafana-provisioning-']]) {
      const ours = data(overlay, overlayName);
      const theirs = data(chart, chartName);
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
      for (const key of Object.keys(ours)) assert.deepEqual(YAML.parse(ours[key]), unprefix(theirs[key]), `${overlayName}${key}`);
    }
    for (const component of ['otel-collector', 'jaeger', 'prometheus', 'grafana']) {
      const ours = byComponent(overlay, 'Deployment', component)[0].spec.template.spec;
      const theirs = byComponent(chart, 'Deployment', component)[0].spec.template.spec;
      assert.deepEqual(ours.containers.map(c => [c.image, c.args, c.ports]), theirs.containers.map(c => [c.image, c.args, c.ports]), component);
    }
  });
});
