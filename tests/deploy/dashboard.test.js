'use strict';
// Keeps the Grafana flood dashboard (helm/p2pmesh/dashboards/p2pmesh-flood.json) honest: its identity,
// that every panel queries something, that every PromQL metric it names is one the services emit (as
// services/P2PMesh.Core/Telemetry creates them), that the panels issue 6 asks for exist, and that the
// Jaeger link carries the query id.
// Run: node --test tests/deploy/dashboard.test.js   (no npm packages; promtool optional, see the last test)

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const DASHBOARD = path.resolve(__dirname, '../../helm/p2pmesh/dashboards/p2pmesh-flood.json');

// The instruments of the services' meter `P2PMesh` (System.Diagnostics.Metrics), read from their source:
// the names from MeshInstrumentNames.cs, kind and unit from the Create* calls in MeshMetrics.cs and
// MeshGauges.cs. Their Prometheus names, as the OpenTelemetry Collector's prometheus exporter writes them:
// dots become underscores, the unit is appended (s → _seconds, By → _bytes), counters get _total,
// histograms become _bucket/_sum/_count.
const TELEMETRY = path.resolve(__dirname, '../../services/P2PMesh.Core/Telemetry');
const source = (file) => fs.readFileSync(path.join(TELEMETRY, file), 'utf8');
const CONSTANTS = Object.fromEntries([...source('MeshInstrumentNames.cs').matchAll(/public const string (\w+) = "([^"]+)";/g)]
  .map(([, constant, name]) => [constant, name]));
const CREATED = [...['MeshMetrics.cs', 'MeshGauges.cs'].map(source).join('\n')
  .matchAll(/\.Create(Counter|Histogram|ObservableGauge)(?:<\w+>)?\(MeshInstrumentNames\.(\w+),(?:[^,"]*,)?\s*"([^"]*)"/g)]
  .map(([, kind, constant, unit]) => ({ kind, constant, unit }));
const INSTRUMENTS = Object.fromEntries(CREATED.map(({ kind, constant, unit }) => [CONSTANTS[constant], {
  kind,
  prometheus: CONSTANTS[constant].replaceAll('.', '_') + ({ s: '_seconds', By: '_bytes' }[unit] ?? '') + (kind === 'Counter' ? '_total' : ''),
}]));
const METRICS = new Set(Object.values(INSTRUMENTS).flatMap(({ kind, prometheus }) =>
  kind === 'Histogram' ? ['_bucket', '_sum', '_count'].map((s) => prometheus + s) : [prometheus]));

// PromQL words that are not metric names: functions and aggregations (always followed by '('), keywords.
const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool',
  'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);

const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));

/** Every panel, rows' nested panels included. */
function allPanels(d) {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}
/** Panels that show data (rows group, text panels explain). */
const dataPanels = allPanels(dashboard).filter((p) => p.type !== 'row' && p.type !== 'text');
const promPanels = dataPanels.filter((p) => p.datasource?.type === 'prometheus');
const exprsOf = (panel) => (panel.targets ?? []).map((t) => t.expr).filter(Boolean);
const allExprs = promPanels.flatMap((p) => exprsOf(p).map((expr) => ({ panel: p.title, expr })));
const byTitle = (re) => {
  const found = dataPanels.filter((p) => re.test(p.title));
  assert.ok(found.length > 0, `no panel titled ${re}; titles: ${dataPanels.map((p) => p.title).join(' | ')}`);
  return found;
};

/**
 * The metric names an expression reads: string literals, label matchers, range/subquery brackets, the
 * label lists of by/without/on/ignoring/group_*, numbers and durations removed; what is left are
 * function names (followed by '('), keywords and metric names.
 */
function metricNames(expr) {
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [];
  for (const m of s.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = s.slice(m.index + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_KEYWORDS.has(word.toLowerCase())) continue;
    if (/^[0-9]/.test(word)) continue;
    names.push(word);
  }
  return names;
}

test('the instruments are read from the services\' source: every MeshInstrumentNames constant, created once', () => {
  const { MeterName, ...instrumentConstants } = CONSTANTS;
  assert.equal(MeterName, 'P2PMesh');
  assert.deepEqual(CREATED.map((c) => c.constant).sort(), Object.keys(instrumentConstants).sort());
  assert.equal(INSTRUMENTS['p2pmesh.query.received']?.prometheus, 'p2pmesh_query_received_total');
  assert.equal(INSTRUMENTS['p2pmesh.search.duration']?.prometheus, 'p2pmesh_search_duration_seconds');
  assert.equal(INSTRUMENTS['p2pmesh.index.size']?.prometheus, 'p2pmesh_index_size_bytes');
  assert.equal(INSTRUMENTS['p2pmesh.query.hops']?.prometheus, 'p2pmesh_query_hops');
});

test('identity: uid, title, schema version', () => {
  assert.equal(dashboard.uid, 'p2pmesh-flood');
  assert.equal(dashboard.title, 'P2PMesh — flood');
  assert.ok(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41,
    `schemaVersion ${dashboard.schemaVersion}`);
  assert.equal(dashboard.id, undefined, 'no numeric id: provisioning assigns one');
});

test('templating: a prometheus datasource variable (default uid prometheus), peer filter, query_id textbox, jaeger_url', () => {
  const vars = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
  assert.equal(vars.datasource?.type, 'datasource');
  assert.equal(vars.datasource.query, 'prometheus');
  assert.equal(vars.datasource.current.value, 'prometheus');
  assert.equal(vars.query_id?.type, 'textbox');
  assert.ok(['custom', 'constant', 'textbox'].includes(vars.jaeger_url?.type), `jaeger_url is ${vars.jaeger_url?.type}`);
  assert.equal(vars.jaeger_url.current.value, 'http://localhost:16686');
  assert.equal(vars.instance?.datasource?.uid, '${datasource}');
  // A query variable's metric must exist too.
  const definition = vars.instance.definition;
  const m = /^label_values\((\w+),\s*instance\)$/.exec(definition);
  assert.ok(m, definition);
  assert.ok(METRICS.has(m[1]), `${m[1]} is not an emitted metric`);
});

test('every data panel has a datasource and targets; Prometheus ones use ${datasource}, Jaeger ones uid jaeger', () => {
  assert.ok(dataPanels.length >= 12, `only ${dataPanels.length} data panels`);
  const ids = new Set();
  for (const panel of allPanels(dashboard)) {
    assert.ok(!ids.has(panel.id), `duplicate panel id ${panel.id}`);
    ids.add(panel.id);
    assert.ok(panel.gridPos && panel.gridPos.w > 0 && panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title}: gridPos`);
  }
  for (const panel of dataPanels) {
    assert.ok(panel.datasource?.uid, `${panel.title}: no datasource`);
    assert.ok(Array.isArray(panel.targets) && panel.targets.length > 0, `${panel.title}: no targets`);
    const refIds = panel.targets.map((t) => t.refId);
    assert.equal(new Set(refIds).size, refIds.length, `${panel.title}: duplicate refIds`);
    if (panel.datasource.type === 'prometheus') {
      assert.equal(panel.datasource.uid, '${datasource}', panel.title);
      for (const target of panel.targets) {
        assert.ok(target.expr && target.expr.trim(), `${panel.title}/${target.refId}: no expr`);
        assert.equal(target.datasource?.uid ?? '${datasource}', '${datasource}', `${panel.title}/${target.refId}`);
      }
    } else {
      assert.deepEqual(panel.datasource, { type: 'jaeger', uid: 'jaeger' }, panel.title);
    }
  }
});

test('every PromQL metric name is one the P2PMesh meter emits', () => {
  assert.ok(allExprs.length > 0);
  const unknown = [];
  for (const { panel, expr } of allExprs) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `${panel}: no metric in ${expr}`);
    for (const name of names) {
      if (!METRICS.has(name)) unknown.push(`${panel}: ${name} (in ${expr})`);
    }
  }
  assert.deepEqual(unknown, []);
  // And the dashboard shows every instrument at least once.
  const used = new Set(allExprs.flatMap(({ expr }) => metricNames(expr)));
  const unused = Object.entries(INSTRUMENTS).filter(([, { kind, prometheus }]) =>
    !(kind === 'Histogram' ? used.has(prometheus + '_bucket') : used.has(prometheus))).map(([name]) => name);
  assert.deepEqual(unused, [], 'instruments with no panel');
});

test('the metric-name extraction itself (so the check above cannot pass vacuously)', () => {
  assert.deepEqual(metricNames('sum by (instance, le) (rate(foo_total{job="a", instance=~"$instance"}[$__rate_interval])) / on(instance) group_left(x) bar'),
    ['foo_total', 'bar']);
  assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (le) (rate(p2pmesh_search_duration_seconds_bucket[5m])))'),
    ['p2pmesh_search_duration_seconds_bucket']);
  assert.deepEqual(metricNames('count(max by (instance) (p2pmesh_neighbours)) > bool 0'), ['p2pmesh_neighbours']);
});

test('required panels exist and query what their titles say', () => {
  const uses = (panel, metric, fn) => exprsOf(panel).some((e) => e.includes(metric) && (!fn || e.includes(fn + '(')));
  const perPeer = (panel) => exprsOf(panel).some((e) => /by \(instance\)/.test(e));
  const meshWide = (panel) => exprsOf(panel).some((e) => !/by \(instance/.test(e));

  for (const [title, metric] of [[/^queries received \/s$/i, 'p2pmesh_query_received_total'],
    [/^duplicates dropped \/s$/i, 'p2pmesh_query_duplicates_total'],
    [/^forwarded \/s$/i, 'p2pmesh_query_forwarded_total'],
    [/^searches started \/s$/i, 'p2pmesh_search_started_total'],
    [/^hits \/s$/i, 'p2pmesh_search_hits_total']]) {
    const panel = byTitle(title).find((p) => p.type === 'timeseries');
    assert.ok(panel, `${title}: no time series`);
    assert.ok(uses(panel, metric, 'rate'), `${panel.title}: rate(${metric})`);
    assert.ok(perPeer(panel) && meshWide(panel), `${panel.title}: mesh-wide and per peer`);
  }

  const ratio = byTitle(/^duplicate ratio$/i).find((p) => p.type === 'timeseries');
  assert.ok(exprsOf(ratio).every((e) => /p2pmesh_query_duplicates_total.*\/.*p2pmesh_query_received_total/.test(e)), 'duplicates / received');
  assert.equal(ratio.fieldConfig.defaults.unit, 'percentunit');

  const hops = byTitle(/^hops distribution$/i)[0];
  assert.ok(['heatmap', 'bargauge'].includes(hops.type), hops.type);
  assert.ok(exprsOf(hops).every((e) => /sum by \(le\)/.test(e) && e.includes('p2pmesh_query_hops_bucket')));
  assert.ok(hops.targets.every((t) => t.format === 'heatmap'), 'buckets de-cumulated (format heatmap)');

  const latency = byTitle(/latency p50 \/ p90 \/ p99/i)[0];
  for (const q of ['0.5', '0.9', '0.99']) {
    assert.ok(exprsOf(latency).some((e) => e.startsWith(`histogram_quantile(${q},`) && /sum by \(le\)/.test(e) && e.includes('p2pmesh_search_duration_seconds_bucket')),
      `p${Number(q) * 100} from the duration histogram`);
  }
  assert.equal(latency.fieldConfig.defaults.unit, 's');

  const transfer = byTitle(/^transfer rate$/i)[0];
  assert.ok(uses(transfer, 'p2pmesh_transfer_sent_bytes_total', 'rate') && uses(transfer, 'p2pmesh_transfer_received_bytes_total', 'rate'));
  assert.match(transfer.fieldConfig.defaults.unit, /Bps$/);

  assert.ok(uses(byTitle(/^chunks failed verification$/i)[0], 'p2pmesh_chunk_verification_failed_total'));

  const neighbours = byTitle(/^neighbours per peer$/i)[0];
  assert.ok(uses(neighbours, 'p2pmesh_neighbours') && perPeer(neighbours));
  assert.ok(uses(byTitle(/^index files per peer$/i)[0], 'p2pmesh_index_files'));
  assert.ok(uses(byTitle(/^index size per peer$/i)[0], 'p2pmesh_index_size_bytes'));
});

test('the Jaeger link opens a search for ${query_id} on p2pmesh-pserver at ${jaeger_url}', () => {
  const links = [
    ...dashboard.links.map((l) => ({ where: 'dashboard link', url: l.url })),
    ...allPanels(dashboard).flatMap((p) => (p.links ?? []).map((l) => ({ where: `${p.title} link`, url: l.url }))),
    ...allPanels(dashboard).filter((p) => p.type === 'text')
      .flatMap((p) => [...(p.options?.content ?? '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ where: `${p.title} text`, url: m[1] }))),
  ].filter((l) => l.url.includes('/search?'));
  assert.ok(links.some((l) => l.where === 'dashboard link'), 'a dashboard-level link');
  for (const { where, url } of links) {
    assert.ok(url.startsWith('${jaeger_url}/search?'), `${where}: ${url}`);
    const params = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    assert.equal(params.get('service'), 'p2pmesh-pserver', where);
    assert.deepEqual(JSON.parse(params.get('tags')), { 'p2pmesh.query_id': '${query_id}' }, where);
    assert.ok(url.includes('%7B%22p2pmesh.query_id%22%3A%22${query_id}%22%7D'), `${where}: tags not URL-encoded as Jaeger expects`);
  }

  const jaeger = dataPanels.filter((p) => p.datasource.type === 'jaeger');
  assert.ok(jaeger.length > 0, 'a panel on the Jaeger data source');
  assert.ok(jaeger.some((p) => p.targets.some((t) => t.queryType === 'search' && t.service === 'p2pmesh-pserver' && t.tags === 'p2pmesh.query_id=${query_id}')),
    'a Jaeger search by the p2pmesh.query_id tag');
});

test('every PromQL expression parses (promtool check rules)', (t) => {
  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (promtool.error) {
    t.skip('promtool not found on PATH (apt-get install prometheus provides it): PromQL syntax not checked');
    return;
  }
  // Grafana's variables are not PromQL: give them values of the right kind first.
  const concrete = (expr) => expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, '5m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, '.*');
  const rules = allExprs.map(({ panel, expr }, i) =>
    `      - record: dashboard:expr_${i}\n        expr: ${JSON.stringify(concrete(expr))}\n        labels: {panel: ${JSON.stringify(panel)}}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'p2pmesh-dashboard-'));
  try {
    const file = path.join(dir, 'rules.yml');
    fs.writeFileSync(file, `groups:\n  - name: p2pmesh-flood-dashboard\n    rules:\n${rules.join('\n')}\n`);
    const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, `promtool check rules:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, new RegExp(`SUCCESS: ${allExprs.length} rules found`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
