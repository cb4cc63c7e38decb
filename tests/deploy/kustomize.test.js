'use strict';
// k8s/: the kustomize base and each overlay render (`kubectl kustomize`), every object is valid against
// the Kubernetes schemas, and the deployment has the properties the chart has. The observability
// overlay's copies of the dashboard and the configs match the chart's.
const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { kustomize, helmTemplate, k8sDir, chartDir } = require('./lib/tools');
const { typeCheck } = require('./lib/validate');
const { find, byComponent, envValue } = require('./lib/mesh');
const { renderingTests } = require('./lib/rendering-tests');

const names = { peer: 'peer', api: 'api', bootstrap: 'bootstrap', collector: 'otel-collector' };
const variants = {
  base: { expect: { peers: 3, storage: '1Gi', observability: false } },
  'overlays/dev': { expect: { peers: 3, storage: '256Mi', observability: false } },
  'overlays/observability': { expect: { peers: 3, storage: '1Gi', observability: true } },
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
  assert.deepEqual(found.sort(), Object.keys(variants).sort());
});

describe('kustomize', () => {
  const rendered = {};
  let typeErrors;
  before(() => {
    for (const dir of Object.keys(variants)) rendered[dir] = kustomize(dir);
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

  test('the base mirrors the chart: same containers, env names, ports and probes', () => {
    const chart = helmTemplate('mesh');
    const shape = objects => {
      const sts = objects.find(o => o.kind === 'StatefulSet');
      const bootstrap = objects.find(o => o.kind === 'Deployment');
      return [...sts.spec.template.spec.containers, ...bootstrap.spec.template.spec.containers].map(c => ({
        name: c.name,
        env: c.env.map(e => e.name),
        ports: c.ports,
        probes: [c.startupProbe, c.readinessProbe, c.livenessProbe],
        securityContext: c.securityContext,
        mounts: c.volumeMounts,
      }));
    };
    assert.deepEqual(shape(rendered.base), shape(chart));
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
