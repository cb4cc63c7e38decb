'use strict';
// Runs the real helm and kubectl binaries (unpacked by run.sh into .tools/, or $HELM / $KUBECTL) and
// parses what they render.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const here = path.resolve(__dirname, '..');
const repo = path.resolve(here, '..', '..');
const chartDir = path.join(repo, 'helm', 'p2pmesh');
const k8sDir = path.join(repo, 'k8s');

function tool(name, envName) {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const local = path.join(here, '.tools', name);
  if (fs.existsSync(local)) return local;
  throw new Error(`${name} not found: run tests/deploy/run.sh (it unpacks ${name} into .tools/) or set $${envName}`);
}

const helmBin = () => tool('helm', 'HELM');
const kubectlBin = () => tool('kubectl', 'KUBECTL');

/** Runs a command; returns { status, stdout, stderr } without throwing. */
function run(bin, args, options = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: repo, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command and returns its stdout; throws with stderr when it fails. */
function runOk(bin, args, options = {}) {
  const r = run(bin, args, options);
  if (r.status !== 0) {
    throw new Error(`${path.basename(bin)} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

/** Parses a multi-document YAML stream into plain objects, failing on any YAML error. */
function parseObjects(text) {
  const docs = YAML.parseAllDocuments(text);
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map(e => e.message).join('; ')}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

/** `helm template <release> helm/p2pmesh <args…>` as objects. */
function helmTemplate(release, args = [], chart = chartDir) {
  return parseObjects(runOk(helmBin(), ['template', release, chart, '--namespace', 'default', ...args]));
}

/** `kubectl kustomize <root>/<dir>` as objects; root defaults to k8s/ (a copy made by k8sCopy for overlays that need secrets). */
function kustomize(dir, root = k8sDir) {
  return parseObjects(runOk(kubectlBin(), ['kustomize', path.join(root, dir)]));
}

/**
 * A scratch copy of k8s/ under .work/ without any generated secrets (no secrets/ folder is committed);
 * with generateSecrets, k8s/generate-secrets.sh has run in it (args: its arguments). Remove it when done.
 */
function k8sCopy({ generateSecrets = false, args = [] } = {}) {
  const copy = fs.mkdtempSync(path.join(here, '.work', 'k8s-'));
  fs.cpSync(k8sDir, copy, { recursive: true, filter: source => path.basename(source) !== 'secrets' });
  if (generateSecrets) runOk('bash', [path.join(copy, 'generate-secrets.sh'), ...args]);
  return copy;
}

module.exports = { here, repo, chartDir, k8sDir, helmBin, kubectlBin, run, runOk, parseObjects, helmTemplate, kustomize, k8sCopy, execFileSync };
