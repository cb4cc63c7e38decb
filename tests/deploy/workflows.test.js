'use strict';
// .github/workflows: valid YAML, actions pinned to exact versions, every `run:` script parses as bash,
// and the jobs issue 7 asks for are there (build + tests, images, chart lint/kubeconform, kind e2e).
// They run on GitHub Actions only; here they are checked statically.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { repo, run } = require('./lib/tools');

const dir = path.join(repo, '.github', 'workflows');
const workflows = Object.fromEntries(fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).map(f => {
  const doc = YAML.parseDocument(fs.readFileSync(path.join(dir, f), 'utf8'));
  return [f, { errors: doc.errors, value: doc.toJS() }];
}));
const steps = w => Object.values(w.value.jobs).flatMap(j => j.steps ?? []);
const scripts = w => steps(w).filter(s => s.run).map(s => s.run).join('\n');

test('the four workflows exist and parse', () => {
  assert.deepEqual(Object.keys(workflows).sort(), ['chart.yml', 'ci.yml', 'images.yml', 'kind-e2e.yml']);
  for (const [name, w] of Object.entries(workflows)) {
    assert.deepEqual(w.errors, [], name);
    assert.ok(w.value.on && w.value.jobs, `${name}: on and jobs`);
    for (const [id, job] of Object.entries(w.value.jobs)) assert.ok(job['timeout-minutes'] > 0, `${name} ${id}: timeout-minutes`);
  }
});

test('every action is pinned to an exact version (vX.Y.Z) or a commit', () => {
  for (const [name, w] of Object.entries(workflows)) {
    for (const s of steps(w).filter(s => s.uses)) {
      assert.match(s.uses, /^[\w.-]+\/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/, `${name}: ${s.uses}`);
    }
  }
});

test('every run: script is valid bash', () => {
  for (const [name, w] of Object.entries(workflows)) {
    for (const s of steps(w).filter(s => s.run)) {
      const script = s.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR');
      const r = run('bash', ['-n', '-c', script]);
      assert.equal(r.status, 0, `${name} "${s.name}": ${r.stderr}`);
    }
  }
});

test('ci.yml builds and runs every test suite through .ci/run', () => {
  assert.match(scripts(workflows['ci.yml']), /bash \.ci\/run/);
});

test('images.yml publishes the three images with the .NET SDK', () => {
  const w = workflows['images.yml'];
  const matrix = w.value.jobs.image.strategy.matrix.include;
  assert.deepEqual(matrix.map(m => m.image).sort(), ['bootstrap', 'pclient-api', 'pserver']);
  for (const m of matrix) assert.ok(fs.existsSync(path.join(repo, 'services', m.project, `${m.project}.csproj`)), m.project);
  assert.match(scripts(w), /-t:PublishContainer/);
  assert.match(scripts(w), /ContainerRegistry=ghcr\.io/);
});

test('chart.yml: helm lint, helm template | kubeconform -strict for every variant, kustomize overlays (secrets generated first)', () => {
  const s = scripts(workflows['chart.yml']);
  assert.match(s, /helm lint helm\/p2pmesh --strict\n/);
  assert.match(s, /--set peers=5,observability\.enabled=true/);
  assert.match(s, /helm template mesh helm\/p2pmesh \$values \\\n\s+\| kubeconform -strict -summary/);
  assert.match(s, /kubectl kustomize "\$dir" \\\n\s+\| kubeconform -strict -summary/);
  assert.match(s, /--set mom\.enabled=true,directory\.persistence\.enabled=true/);
  assert.ok(s.indexOf('bash k8s/generate-secrets.sh') >= 0 && s.indexOf('bash k8s/generate-secrets.sh') < s.indexOf('kubectl kustomize "$dir"'), 'the components\' secrets are generated before the overlays are built');
  assert.match(s, /tests\/deploy\/run\.sh/);
});

test('kind-e2e.yml: install with 5 peers, wait, search and get by kubectl exec, check the hash, helm test', () => {
  const w = workflows['kind-e2e.yml'];
  assert.ok(steps(w).some(s => /^helm\/kind-action@/.test(s.uses ?? '')));
  const s = scripts(w);
  for (const pattern of [
    /kind load docker-image/,
    /helm install mesh helm\/p2pmesh --set peers=5/,
    /--wait/,
    /kubectl rollout status statefulset\/mesh-peer/,
    /kubectl exec mesh-peer-0 -c pclient-api -- p2pmesh search "\$NAME"/,
    /kubectl exec mesh-peer-0 -c pclient-api -- p2pmesh get "\$NAME"/,
    /sha256sum/,
    /test "\$got" = "\$SHA"/,
    /helm test mesh/,
    /kubectl logs/,
  ]) assert.match(s, pattern);
});
