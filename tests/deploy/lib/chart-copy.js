'use strict';
// Renders the chart through the real helm engine with a stand-in for what only a cluster provides:
// `helm template` has no API server, so `lookup` returns nothing there. withChartCopy copies the chart
// under .work/, lets the caller edit the copy, and removes it afterwards.
const fs = require('node:fs');
const path = require('node:path');
const { chartDir, here } = require('./tools');

/** Calls fn(copyDir) with a scratch copy of helm/p2pmesh; returns what fn returns. */
function withChartCopy(fn) {
  const copy = fs.mkdtempSync(path.join(here, '.work', 'chart-'));
  try {
    fs.cpSync(chartDir, copy, { recursive: true });
    return fn(copy);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * A chart copy whose `lookup` of Secrets answers from `cluster` (name → the Secret's data, base64
 * values), as the API server would during `helm upgrade`: the one lookup in _helpers.tpl
 * (p2pmesh.existingSecretData) is rewritten to read cluster.json from the chart's files.
 */
function withClusterSecrets(cluster, fn) {
  return withChartCopy(copy => {
    const helpers = path.join(copy, 'templates', '_helpers.tpl');
    const lookup = '(lookup "v1" "Secret" .ctx.Release.Namespace .name).data';
    const text = fs.readFileSync(helpers, 'utf8');
    if (text.split(lookup).length !== 2) throw new Error(`expected one ${lookup} in _helpers.tpl`);
    fs.writeFileSync(helpers, text.replace(lookup, '(get (.ctx.Files.Get "cluster.json" | fromJson) .name | default dict).data'));
    const data = Object.fromEntries(Object.entries(cluster).map(([name, d]) => [name, { data: d }]));
    fs.writeFileSync(path.join(copy, 'cluster.json'), JSON.stringify(data));
    return fn(copy);
  });
}

module.exports = { withChartCopy, withClusterSecrets };
