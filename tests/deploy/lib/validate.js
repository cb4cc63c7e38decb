'use strict';
// Validation against the Kubernetes API schemas (kubernetes-models, Kubernetes 1.27 OpenAPI), standing
// in for `kubeconform -strict`, which cannot be installed here:
//  - validateObject: the JSON schema of the object's apiVersion/kind (types, enums, required fields);
//    an apiVersion/kind it does not know fails.
//  - typeCheck: the same objects as TypeScript object literals typed with kubernetes-models'
//    interfaces, compiled by tsc, whose excess-property check rejects unknown (misspelled) fields at
//    any depth, which the JSON schemas allow.
const fs = require('node:fs');
const path = require('node:path');
const { run, here } = require('./tools');

/** The kubernetes-models module of an apiVersion/kind, e.g. apps/v1 StatefulSet → kubernetes-models/apps/v1/StatefulSet. */
function modelPath(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z]+$/.test(kind)) {
    throw new Error(`not a Kubernetes object: apiVersion ${apiVersion}, kind ${kind}`);
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Throws unless the object is valid for its apiVersion/kind. */
function validateObject(object) {
  const modulePath = modelPath(object.apiVersion, object.kind);
  let Model;
  try {
    Model = require(modulePath)[object.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    throw new Error(`unknown apiVersion/kind ${object.apiVersion} ${object.kind} (${object.metadata?.name})`);
  }
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata?.name}: ${error.message}`);
  }
}

/**
 * Compiles every variant's objects as typed TypeScript literals in one tsc run.
 * @param {Record<string, object[]>} variants name → objects
 * @returns {Record<string, string[]>} name → tsc errors (empty when clean)
 */
function typeCheck(variants) {
  const work = fs.mkdtempSync(path.join(here, '.work', 'tsc-'));
  const files = {};
  try {
    for (const [name, objects] of Object.entries(variants)) {
      const file = path.join(work, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.ts`);
      const imports = new Set();
      const body = objects.map((object, i) => {
        const modulePath = modelPath(object.apiVersion, object.kind);
        const alias = `${object.kind}_${object.apiVersion.replace(/[^A-Za-z0-9]/g, '_')}`;
        imports.add(`import type { I${object.kind} as ${alias} } from ${JSON.stringify(modulePath)};`);
        return `// ${object.kind}/${object.metadata?.name}\nexport const o${i}: ${alias} = ${JSON.stringify(object, null, 1)};`;
      });
      fs.writeFileSync(file, `${[...imports].join('\n')}\n\n${body.join('\n\n')}\n`);
      files[name] = file;
    }
    const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--pretty', 'false',
      '--target', 'es2020', '--module', 'commonjs', '--moduleResolution', 'node', '--noUnusedLocals', 'false',
      ...Object.values(files)], { cwd: here });
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter(l => l.trim() !== '');
    const result = {};
    for (const [name, file] of Object.entries(files)) {
      const base = path.basename(file);
      result[name] = lines.filter(l => l.includes(base)).map(l => explain(l, file));
    }
    const unattributed = lines.filter(l => !Object.values(files).some(f => l.includes(path.basename(f))));
    if (r.status !== 0 && unattributed.length > 0) throw new Error(`tsc failed:\n${unattributed.join('\n')}`);
    if (r.status !== 0 && Object.values(result).every(e => e.length === 0)) throw new Error(`tsc exited ${r.status} without errors`);
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A tsc error line with the object (the nearest preceding "// Kind/name" comment) it is about. */
function explain(line, file) {
  const m = /\((\d+),\d+\)/.exec(line);
  if (!m) return line;
  const source = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = Number(m[1]) - 1; i >= 0; i--) {
    if (source[i].startsWith('// ')) return `${source[i].slice(3)}: ${line.slice(line.indexOf('error'))}`;
  }
  return line;
}

module.exports = { validateObject, typeCheck };
