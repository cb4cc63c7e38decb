'use strict';
// The tests every rendering of the deployment gets, whichever way it was rendered (helm chart or
// kustomize overlay): valid objects, no unknown fields, unique names, and the mesh itself (assertMesh).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { validateObject } = require('./validate');
const { assertMesh } = require('./mesh');

/**
 * Registers the tests of one rendering. objects() and typeErrors() are called when the tests run (the
 * suite's before() renders); minObjects is a floor on how many objects it renders; names and expect are
 * assertMesh's.
 */
function renderingTests({ objects, typeErrors, minObjects, names, expect }) {
  test('every object is valid against the Kubernetes schemas', () => {
    assert.ok(objects().length >= minObjects, `rendered ${objects().length} objects, want at least ${minObjects}`);
    for (const o of objects()) validateObject(o);
  });
  test('no unknown fields (strict: TypeScript excess-property check)', () => {
    assert.deepEqual(typeErrors(), []);
  });
  test('object names are unique per kind and valid DNS labels', () => {
    const seen = new Set();
    for (const o of objects()) {
      const key = `${o.kind}/${o.metadata.name}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      assert.match(o.metadata.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, key);
    }
  });
  test('the mesh: StatefulSet, headless and API Services, bootstrap, PDB, probes, security, observability', () => {
    assertMesh(objects(), names, expect);
  });
}

module.exports = { renderingTests };
