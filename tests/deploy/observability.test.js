'use strict';
// The observability stack's own configuration, as rendered by the chart (observability.enabled=true) and
// by the kustomize observability overlay: Prometheus's config passes `promtool check config`; every
// OpenTelemetry Collector pipeline names receivers, processors and exporters that are defined; every
// address in these configs (the pods' OTLP endpoint, the collector's Jaeger exporter, Prometheus's scrape
// target, Grafana's data sources) names a Service of the same rendering and a port that Service exposes;
// Grafana's data source uids are the ones the flood dashboard uses. Jaeger, Grafana and the collector
// have no binaries on the project's machines, so this is as far as their configs can be checked here.
const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');
const { kustomize, helmTemplate, chartDir } = require('./lib/tools');
const { podSpecs } = require('./lib/mesh');

const variants = {
  'helm template --set observability.enabled=true': () => helmTemplate('mesh', ['--set', 'observability.enabled=true']),
  'kubectl kustomize k8s/overlays/observability': () => kustomize('overlays/observability'),
};

/** Every ConfigMap entry as { name, key, text }. */
const configEntries = objects => objects
  .filter(o => o.kind === 'ConfigMap')
  .flatMap(cm => Object.entries(cm.data ?? {}).map(([key, text]) => ({ name: cm.metadata.name, key, text })));

/** The single entry whose parsed YAML satisfies `predicate`, parsed. */
function configWhere(objects, what, predicate) {
  const found = configEntries(objects)
    .filter(e => /\.ya?ml$/.test(e.key))
    .map(e => ({ ...e, doc: YAML.parse(e.text) }))
    .filter(e => e.doc && predicate(e.doc));
  assert.equal(found.length, 1, `exactly one ConfigMap entry holds the ${what} (found ${found.map(e => `${e.name}/${e.key}`).join(', ') || 'none'})`);
  return found[0];
}

/** Asserts that `host:port` (or a URL) names a Service of the rendering exposing that port; returns the Service. */
function assertServiceAddress(objects, address, what) {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const service = objects.find(o => o.kind === 'Service' && o.metadata.name === url.hostname);
  assert.ok(service, `${what}: ${address} names no Service (Services: ${objects.filter(o => o.kind === 'Service').map(o => o.metadata.name).join(', ')})`);
  const port = Number(url.port);
  assert.ok(service.spec.ports.some(p => p.port === port), `${what}: Service ${url.hostname} does not expose port ${port}`);
  return service;
}

for (const [name, render] of Object.entries(variants)) {
  describe(name, () => {
    let objects;
    before(() => { objects = render(); });

    test('Prometheus: promtool check config passes; it scrapes the collector\'s exporter with honor_labels', (t) => {
      const entry = configWhere(objects, 'Prometheus config', d => Array.isArray(d.scrape_configs));
      const scrape = entry.doc.scrape_configs.flatMap(s => (s.static_configs ?? []).flatMap(c => c.targets.map(target => ({ job: s, target }))));
      assert.ok(scrape.length >= 1, 'a static scrape target');
      for (const { job, target } of scrape) {
        const service = assertServiceAddress(objects, target, 'Prometheus scrape target');
        assert.match(service.metadata.name, /otel-collector$/);
        assert.equal(job.honor_labels, true, 'honor_labels keeps job/instance = service.name/peer id from the collector');
      }
      const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
      if (promtool.error) {
        t.skip('promtool not found on PATH (apt-get install prometheus provides it): prometheus.yml structure checked, not promtool');
        return;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'p2pmesh-promtool-'));
      try {
        const file = path.join(dir, 'prometheus.yml');
        fs.writeFileSync(file, entry.text);
        const run = spawnSync('promtool', ['check', 'config', '--syntax-only', file], { encoding: 'utf8' });
        assert.equal(run.status, 0, `promtool check config:\n${run.stdout}${run.stderr}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('OpenTelemetry Collector: pipelines use defined components; OTLP in, Jaeger and Prometheus out', () => {
      const { doc } = configWhere(objects, 'collector config', d => d.receivers && d.service?.pipelines);
      for (const [pipeline, spec] of Object.entries(doc.service.pipelines)) {
        for (const [section, defined] of [['receivers', doc.receivers], ['processors', doc.processors ?? {}], ['exporters', doc.exporters]]) {
          for (const component of spec[section] ?? []) {
            assert.ok(component in defined, `pipeline ${pipeline}: ${section} '${component}' is not defined`);
          }
        }
      }
      for (const extension of doc.service.extensions ?? []) assert.ok(extension in (doc.extensions ?? {}), `extension ${extension} is not defined`);
      assert.deepEqual(Object.keys(doc.service.pipelines).sort(), ['metrics', 'traces']);
      assert.equal(doc.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
      assert.equal(doc.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');

      const collector = objects.find(o => o.kind === 'Service' && /otel-collector$/.test(o.metadata.name));
      assert.ok(collector, 'the collector Service');
      for (const port of [4317, 4318, 8889]) assert.ok(collector.spec.ports.some(p => p.port === port), `collector Service exposes ${port}`);
      assert.equal(doc.exporters.prometheus.endpoint, '0.0.0.0:8889');
      const jaegerExporter = doc.service.pipelines.traces.exporters.map(e => doc.exporters[e]).find(e => e.endpoint);
      const jaeger = assertServiceAddress(objects, jaegerExporter.endpoint, 'collector trace exporter');
      assert.match(jaeger.metadata.name, /jaeger$/);
    });

    test('every P2PMesh container exports to the collector\'s OTLP gRPC port', () => {
      let seen = 0;
      for (const { spec } of podSpecs(objects)) {
        for (const container of spec.containers) {
          const endpoint = container.env?.find(e => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')?.value;
          if (endpoint === undefined) continue;
          seen++;
          const service = assertServiceAddress(objects, endpoint, `${container.name} OTEL_EXPORTER_OTLP_ENDPOINT`);
          assert.match(service.metadata.name, /otel-collector$/);
          assert.equal(new URL(endpoint).port, '4317', 'the default OTLP protocol is grpc: port 4317');
        }
      }
      assert.ok(seen >= 3, 'bootstrap, pserver and pclient-api carry the endpoint');
    });

    test('Grafana: data sources prometheus and jaeger (the dashboard\'s uids) point at their Services', () => {
      const { doc } = configWhere(objects, 'Grafana data sources', d => Array.isArray(d.datasources));
      const byUid = Object.fromEntries(doc.datasources.map(d => [d.uid, d]));
      assert.equal(byUid.prometheus?.type, 'prometheus');
      assert.equal(byUid.jaeger?.type, 'jaeger');
      assert.match(assertServiceAddress(objects, byUid.prometheus.url, 'Prometheus data source').metadata.name, /prometheus$/);
      assert.match(assertServiceAddress(objects, byUid.jaeger.url, 'Jaeger data source').metadata.name, /jaeger$/);

      const dashboard = JSON.parse(fs.readFileSync(path.join(chartDir, 'dashboards', 'p2pmesh-flood.json'), 'utf8'));
      const uids = new Set();
      const walk = node => {
        if (Array.isArray(node)) { node.forEach(walk); return; }
        if (node && typeof node === 'object') {
          if (node.datasource && typeof node.datasource === 'object' && typeof node.datasource.uid === 'string' && !node.datasource.uid.startsWith('$')) uids.add(node.datasource.uid);
          Object.values(node).forEach(walk);
        }
      };
      walk(dashboard);
      for (const uid of uids) {
        if (uid === '-- Grafana --' || uid === 'grafana') continue;
        assert.ok(uid in byUid, `the dashboard uses data source uid '${uid}', which Grafana is not provisioned with`);
      }
    });
  });
}
