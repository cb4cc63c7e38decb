'use strict';
// What a rendered P2PMesh deployment must look like, whichever way it was rendered (helm chart or
// kustomize overlay). Each check throws an AssertionError naming the object at fault.
const assert = require('node:assert/strict');

const MESH_USER = 1654; // `app` in mcr.microsoft.com/dotnet/aspnet:10.0
const OBSERVABILITY = ['otel-collector', 'jaeger', 'prometheus', 'grafana'];

const find = (objects, kind, name) => {
  const found = objects.filter(o => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
};
const byComponent = (objects, kind, component) =>
  objects.filter(o => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === component);
const env = (container, name) => container.env?.find(e => e.name === name);
const envValue = (container, name) => env(container, name)?.value;
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** Every workload's pod template (and bare Pods) with a name for messages. */
function podSpecs(objects) {
  return objects.flatMap(o => {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) return [{ owner: `${o.kind}/${o.metadata.name}`, labels: o.spec.template.metadata?.labels, spec: o.spec.template.spec }];
    if (o.kind === 'Pod') return [{ owner: `Pod/${o.metadata.name}`, labels: o.metadata.labels, spec: o.spec }];
    return [];
  });
}

/**
 * Asserts the mesh: names is { peer, api, bootstrap, collector }, the object names of this rendering.
 * expect is { peers, storage, observability }.
 */
function assertMesh(objects, names, expect) {
  const sts = find(objects, 'StatefulSet', names.peer);
  const headless = find(objects, 'Service', names.peer);
  const api = find(objects, 'Service', names.api);
  const bootstrapDeployment = find(objects, 'Deployment', names.bootstrap);
  const bootstrapService = find(objects, 'Service', names.bootstrap);
  const pdb = find(objects, 'PodDisruptionBudget', names.peer);
  const podLabels = sts.spec.template.metadata.labels;
  const pod = sts.spec.template.spec;

  // StatefulSet: one pod per peer, started in parallel, governed by the headless Service.
  assert.equal(sts.apiVersion, 'apps/v1');
  assert.equal(sts.spec.replicas, expect.peers, 'replicas = peers');
  assert.equal(sts.spec.podManagementPolicy, 'Parallel');
  assert.equal(sts.spec.serviceName, headless.metadata.name);
  assert.ok(matches(sts.spec.selector.matchLabels, podLabels), 'the StatefulSet selects its own pods');

  // Two containers sharing the share volume from volumeClaimTemplates.
  assert.deepEqual(pod.containers.map(c => c.name), ['pserver', 'pclient-api']);
  const [pserver, pclientApi] = pod.containers;
  assert.equal(sts.spec.volumeClaimTemplates.length, 1);
  const claim = sts.spec.volumeClaimTemplates[0];
  assert.equal(claim.spec.resources.requests.storage, expect.storage);
  assert.deepEqual(claim.spec.accessModes, ['ReadWriteOnce']);
  const shareMounts = pod.containers.map(c => c.volumeMounts?.find(m => m.name === claim.metadata.name));
  assert.ok(shareMounts.every(m => m && !m.readOnly), 'both containers mount the share volume read-write');
  assert.equal(shareMounts[0].mountPath, shareMounts[1].mountPath, 'at the same path');
  // The share and the state (hash cache, uploads, downloads) both live on the volume, the same for both containers.
  for (const c of pod.containers) {
    for (const [setting, dir] of [['Content__ShareDirectory', 'share'], ['Content__StateDirectory', 'state']]) {
      assert.equal(envValue(c, setting), `${shareMounts[0].mountPath}/${dir}`, `${c.name}: ${setting} on the volume`);
    }
  }
  assert.ok(!pod.volumes?.some(v => v.name === claim.metadata.name), 'the share comes from the claim template, not a pod volume');

  // PServer: gRPC port, native gRPC probes on it, peer identity and discovery from the downward API.
  const grpcPort = pserver.ports.find(p => p.name === 'grpc').containerPort;
  // kubelet's grpc probes speak plaintext: with TLS (Tls__Enabled) they ask the plaintext probe port (docs/security.md).
  const probePortOf = c => (envValue(c, 'Tls__Enabled') === 'true' ? c.ports.find(p => p.name === 'probe').containerPort : c.ports.find(p => p.name === 'grpc').containerPort);
  for (const c of [pserver]) if (envValue(c, 'Tls__Enabled') === 'true') assert.equal(envValue(c, 'Tls__ProbePort'), String(probePortOf(c)), `${c.name}: Tls__ProbePort is the declared probe port`);
  const probePort = probePortOf(pserver);
  // Startup and readiness ask for the overall service "" (the share is scanned); liveness for "liveness" (the process is up).
  for (const probe of ['startupProbe', 'readinessProbe']) {
    assert.deepEqual(pserver[probe]?.grpc, { port: probePort }, `pserver ${probe} is a grpc probe on ${probePort}`);
  }
  assert.deepEqual(pserver.livenessProbe?.grpc, { port: probePort, service: 'liveness' }, 'pserver livenessProbe asks for the liveness service');
  assert.equal(envValue(pserver, 'Peer__Id'), '$(POD_NAME)');
  assert.equal(envValue(pserver, 'Peer__GrpcPort'), String(grpcPort));
  assert.match(envValue(pserver, 'Peer__AdvertisedAddress'), new RegExp(`^\\$\\(POD_NAME\\)\\.${headless.metadata.name}\\.\\$\\(POD_NAMESPACE\\)\\.svc\\.[a-z.]+:${grpcPort}$`));
  assert.match(envValue(pserver, 'Neighbours__DnsSeed'), new RegExp(`^${headless.metadata.name}\\.\\$\\(POD_NAMESPACE\\)\\.svc\\.[a-z.]+$`));
  assert.equal(envValue(pserver, 'Neighbours__DnsSeedPort'), String(grpcPort));
  const bootstrapPort = bootstrapService.spec.ports.find(p => p.name === 'grpc').port;
  assert.equal(envValue(pserver, 'Neighbours__Bootstrap'), `${bootstrapService.metadata.name}:${bootstrapPort}`);
  assert.ok(Number(envValue(pserver, 'Search__DefaultTtl')) <= Number(envValue(pserver, 'Search__MaxTtl')), 'DefaultTtl <= MaxTtl');

  // PClient-API: HTTP probes on /healthz and /readyz, its own PServer on localhost, the CLI's default port.
  const httpPort = pclientApi.ports.find(p => p.name === 'http').containerPort;
  assert.equal(httpPort, 8080, 'the port `p2pmesh` uses by default (http://localhost:8080)');
  assert.equal(envValue(pclientApi, 'Api__Port'), String(httpPort));
  assert.equal(envValue(pclientApi, 'Api__PServer'), `127.0.0.1:${grpcPort}`);
  assert.equal(envValue(pclientApi, 'P2PMESH_API'), `http://localhost:${httpPort}`);
  // The same peer id as its PServer (the pod name): both report it as service.instance.id.
  assert.equal(envValue(pclientApi, 'Peer__Id'), '$(POD_NAME)', 'pclient-api: Peer__Id');
  assert.deepEqual(pclientApi.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
  assert.deepEqual(pclientApi.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
  assert.equal(pclientApi.readinessProbe.grpc, undefined);

  // Headless Service: the DNS seed, with every pod (ready or not); the API Service: ClusterIP.
  assert.equal(headless.spec.clusterIP, 'None');
  assert.equal(headless.spec.publishNotReadyAddresses, true);
  assert.ok(matches(headless.spec.selector, podLabels), 'the headless Service selects the peers');
  assert.ok(headless.spec.ports.some(p => p.port === grpcPort && p.targetPort === 'grpc'));
  assert.equal(api.spec.type ?? 'ClusterIP', 'ClusterIP');
  assert.notEqual(api.spec.clusterIP, 'None');
  assert.ok(matches(api.spec.selector, podLabels), 'the API Service selects the peers');
  assert.deepEqual(api.spec.ports.map(p => [p.port, p.targetPort]), [[httpPort, 'http']]);

  // Bootstrap: Deployment + Service, gRPC probes.
  const bootstrap = bootstrapDeployment.spec.template.spec.containers[0];
  assert.ok(matches(bootstrapService.spec.selector, bootstrapDeployment.spec.template.metadata.labels));
  assert.ok(!matches(bootstrapService.spec.selector, podLabels), 'the bootstrap Service does not select peers');
  const bootstrapContainerPort = bootstrap.ports.find(p => p.name === 'grpc').containerPort;
  assert.equal(envValue(bootstrap, 'Bootstrap__GrpcPort'), String(bootstrapContainerPort));
  assert.deepEqual(bootstrap.readinessProbe.grpc, { port: probePortOf(bootstrap) });
  assert.deepEqual(bootstrap.livenessProbe.grpc, { port: probePortOf(bootstrap), service: 'liveness' });

  // PodDisruptionBudget and soft anti-affinity over the peers.
  assert.equal(pdb.apiVersion, 'policy/v1');
  assert.ok(matches(pdb.spec.selector.matchLabels, podLabels), 'the PDB covers the peers');
  assert.ok(pdb.spec.maxUnavailable !== undefined || pdb.spec.minAvailable !== undefined);
  const anti = pod.affinity?.podAntiAffinity;
  assert.equal(anti?.requiredDuringSchedulingIgnoredDuringExecution, undefined, 'anti-affinity is soft');
  const preferred = anti?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  assert.ok(preferred.some(t => t.podAffinityTerm.topologyKey === 'kubernetes.io/hostname' && matches(t.podAffinityTerm.labelSelector.matchLabels, podLabels)),
    'preferred anti-affinity spreads peers over nodes');

  // Mesh containers: POD_NAME from the downward API, their OpenTelemetry service name, the collector iff observability.
  const mesh = [[pserver, 'p2pmesh-pserver'], [pclientApi, 'p2pmesh-pclient-api'], [bootstrap, 'p2pmesh-bootstrap']];
  for (const [c, service] of mesh) {
    assert.deepEqual(env(c, 'POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } }, `${c.name}: POD_NAME`);
    assert.equal(envValue(c, 'OTEL_SERVICE_NAME'), service, `${c.name}: OTEL_SERVICE_NAME`);
    const endpoint = envValue(c, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    const interval = envValue(c, 'OTEL_METRIC_EXPORT_INTERVAL');
    if (expect.observability) {
      assert.equal(endpoint, `http://${names.collector}:4317`, `${c.name}: OTEL_EXPORTER_OTLP_ENDPOINT`);
      // Metrics every 10 s rather than the SDK's 60 s, so the dashboard moves while a flood is watched.
      assert.equal(interval, '10000', `${c.name}: OTEL_METRIC_EXPORT_INTERVAL`);
    } else {
      assert.equal(endpoint, undefined, `${c.name}: no OTLP endpoint without observability`);
      assert.equal(interval, undefined, `${c.name}: no metric export interval without observability`);
    }
  }
  for (const { owner, spec } of [{ owner: 'peer', spec: pod }, { owner: 'bootstrap', spec: bootstrapDeployment.spec.template.spec }]) {
    assert.equal(spec.securityContext.runAsUser, MESH_USER, `${owner}: runs as the images' app user`);
    assert.equal(spec.securityContext.fsGroup, MESH_USER, `${owner}: volumes writable by the app group`);
  }

  assertObservability(objects, names, expect.observability);
  assertAllPods(objects);
  assertReferences(objects);
}

/** The collector, Jaeger, Prometheus and Grafana are there with observability, and only then. */
function assertObservability(objects, names, enabled) {
  for (const component of OBSERVABILITY) {
    const deployments = byComponent(objects, 'Deployment', component);
    const services = byComponent(objects, 'Service', component);
    assert.equal(deployments.length, enabled ? 1 : 0, `${component} Deployment ${enabled ? 'present' : 'absent'}`);
    assert.equal(services.length, enabled ? 1 : 0, `${component} Service ${enabled ? 'present' : 'absent'}`);
  }
  if (!enabled) {
    assert.ok(!objects.some(o => o.kind === 'ConfigMap'), 'no ConfigMaps without observability');
    return;
  }
  const collector = find(objects, 'Service', names.collector);
  assert.deepEqual(collector.spec.ports.map(p => p.port).sort(), [4317, 4318, 8889]);
  const jaeger = byComponent(objects, 'Deployment', 'jaeger')[0].spec.template.spec.containers[0];
  assert.match(jaeger.image, /^jaegertracing\/all-in-one:/);
  assert.ok(jaeger.ports.some(p => p.containerPort === 16686) && jaeger.ports.some(p => p.containerPort === 4317), 'Jaeger: UI and OTLP');

  // Grafana: both data sources by the uids the dashboard names, the dashboard from a ConfigMap.
  const grafana = byComponent(objects, 'Deployment', 'grafana')[0].spec.template.spec;
  const mounted = name => objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === grafana.volumes.find(v => v.configMap && v.name === name)?.configMap.name);
  const datasources = require('yaml').parse(mounted('datasources').data['datasources.yaml']).datasources;
  assert.deepEqual(datasources.map(d => [d.uid, d.type]).sort(), [['jaeger', 'jaeger'], ['prometheus', 'prometheus']]);
  const providers = require('yaml').parse(mounted('dashboard-providers').data['dashboards.yaml']).providers;
  const dashboardsMount = grafana.containers[0].volumeMounts.find(m => m.name === 'dashboards').mountPath;
  assert.equal(providers[0].options.path, dashboardsMount, 'the provider reads the mounted dashboards');
  const dashboards = mounted('dashboards');
  assert.ok(dashboards, 'the dashboards ConfigMap is mounted');
  const dashboard = JSON.parse(dashboards.data['p2pmesh-flood.json']);
  assert.equal(dashboard.uid, 'p2pmesh-flood');
}

/** Every pod: non-root, no privilege escalation, no capabilities, read-only root, writable /tmp, resources. */
function assertAllPods(objects) {
  for (const { owner, spec } of podSpecs(objects)) {
    assert.equal(spec.securityContext?.runAsNonRoot, true, `${owner}: runAsNonRoot`);
    assert.ok(spec.securityContext?.runAsUser > 0, `${owner}: a non-root runAsUser`);
    assert.equal(spec.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${owner}: seccomp RuntimeDefault`);
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const where = `${owner} container ${c.name}`;
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation false`);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], `${where}: drops ALL capabilities`);
      assert.equal(c.securityContext?.privileged, undefined, `${where}: not privileged`);
      assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${where}: resource requests`);
      assert.ok(c.resources?.limits?.memory, `${where}: a memory limit`);
      for (const m of c.volumeMounts ?? []) {
        const volume = spec.volumes?.find(v => v.name === m.name);
        if (volume?.configMap) assert.equal(m.readOnly, true, `${where}: ConfigMap ${m.name} mounted read-only`);
      }
      // Writable scratch space where the root filesystem is read-only.
      if (!/^(prometheus|otel-collector)$/.test(c.name)) {
        const tmp = (c.volumeMounts ?? []).find(m => m.mountPath === '/tmp');
        assert.ok(tmp && spec.volumes.find(v => v.name === tmp.name)?.emptyDir, `${where}: /tmp is a writable emptyDir`);
      }
    }
  }
}

/**
 * Names that point at other objects resolve: Service selectors, named ports, ConfigMaps, Secrets (and
 * their keys), $(VAR) references. options.externalSecrets: Secret names the rendering does not hold.
 */
function assertReferences(objects, options = {}) {
  const pods = podSpecs(objects);
  for (const service of objects.filter(o => o.kind === 'Service')) {
    const targets = pods.filter(p => matches(service.spec.selector, p.labels));
    assert.ok(targets.length > 0, `Service/${service.metadata.name} selects no pods`);
    for (const port of service.spec.ports) {
      if (typeof port.targetPort !== 'string') continue;
      assert.ok(targets.some(p => p.spec.containers.some(c => c.ports?.some(cp => cp.name === port.targetPort))),
        `Service/${service.metadata.name}: no container port named ${port.targetPort}`);
    }
  }
  const configMaps = new Set(objects.filter(o => o.kind === 'ConfigMap').map(o => o.metadata.name));
  const secrets = new Set(objects.filter(o => o.kind === 'Secret').map(o => o.metadata.name));
  const secretExists = (owner, name, key) => {
    // A Secret the rendering does not hold must be one its values named (existingSecret): exempt them.
    if (options.externalSecrets?.includes(name)) return;
    assert.ok(secrets.has(name), `${owner}: Secret ${name} does not exist`);
    const secret = objects.find(o => o.kind === 'Secret' && o.metadata.name === name);
    if (key) assert.ok(key in { ...secret.data, ...secret.stringData }, `${owner}: Secret ${name} has no key ${key}`);
  };
  for (const { owner, spec } of pods) {
    for (const v of spec.volumes ?? []) {
      if (v.configMap) assert.ok(configMaps.has(v.configMap.name), `${owner}: ConfigMap ${v.configMap.name} does not exist`);
      if (v.secret) secretExists(owner, v.secret.secretName);
      for (const item of v.secret?.items ?? []) secretExists(owner, v.secret.secretName, item.key);
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) secretExists(`${owner} ${c.name} ${e.name}`, ref.name, ref.key);
      }
    }
    for (const c of spec.containers) {
      const names = new Set();
      for (const e of c.env ?? []) {
        for (const [, ref] of (e.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          assert.ok(names.has(ref), `${owner} ${c.name}: ${e.name} uses $(${ref}) before it is defined`);
        }
        assert.ok(!names.has(e.name), `${owner} ${c.name}: ${e.name} set twice`);
        names.add(e.name);
      }
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === 'string') assert.ok(c.ports?.some(p => p.name === port), `${owner} ${c.name}: ${probe} names unknown port ${port}`);
      }
    }
  }
}

module.exports = { assertMesh, assertReferences, podSpecs, find, byComponent, env, envValue, matches };
