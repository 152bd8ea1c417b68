import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startGateway, type Gateway } from '@paygate/server';

// deploy/kubernetes/*.yaml, checked offline: each object against its kind's JSON schema
// (kubernetes-models), then against this code: env names, commands, routes, ports, grace period.
const ROOT = join(import.meta.dirname, '..', '..', '..');
const DIR = join(ROOT, 'deploy', 'kubernetes');
/** Not a Kubernetes object (kustomize's own file); checked separately below. */
const KUSTOMIZATION = 'kustomization.yaml';
/** What pg-cli takes past PAYGATE_SHUTDOWN_GRACE_MS before it exits (run-gateway.ts: 2 s stop margin + 1 s linger). */
const PG_CLI_STOP_MARGIN_SECONDS = 3;

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

type Probe = { httpGet?: { path: string; port: string | number } };
type Container = {
  name: string;
  args?: string[];
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
};
type PodSpec = { containers: Container[]; terminationGracePeriodSeconds?: number; restartPolicy?: string };
type Manifest = {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    ports?: { targetPort: string | number }[];
    scaleTargetRef?: { kind: string; name: string };
  };
};

const manifestFiles = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== KUSTOMIZATION);
const manifests: Manifest[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return { ...(doc.toJS() as Omit<Manifest, 'file'>), file };
  }),
);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in deploy/kubernetes`);
  return found;
};
const workloads = manifests.filter((m) => m.spec?.template);
const containers = workloads.flatMap((w) => w.spec!.template!.spec.containers.map((c) => ({ workload: w, container: c })));

/** Every variable the server reads (config.ts's schema) or .env.example documents. */
function knownEnvNames(): Set<string> {
  const documented = readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm);
  const schema = readFileSync(join(ROOT, 'packages', 'server', 'src', 'config.ts'), 'utf8');
  const read = schema.slice(schema.indexOf('const ENV_SCHEMA'), schema.indexOf('});', schema.indexOf('const ENV_SCHEMA'))).matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm);
  return new Set([...[...documented].map((m) => m[1]!), ...[...read].map((m) => m[1]!)]);
}

describe('deploy/kubernetes: every object is valid for its kind', () => {
  it('holds the objects a deployment needs', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/paygate-config',
      'Deployment/paygate-api',
      'Deployment/paygate-worker',
      'HorizontalPodAutoscaler/paygate-api',
      'HorizontalPodAutoscaler/paygate-worker',
      'Job/paygate-migrate',
      'PodDisruptionBudget/paygate-api',
      'PodDisruptionBudget/paygate-worker',
      'Secret/paygate-secrets',
      'Service/paygate-api',
    ]);
  });

  it.each(manifests.map((m) => [`${m.file}: ${m.kind}/${m.metadata.name}`, m] as const))('%s validates against its schema', (_, manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    expect(Model, `no schema for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
    const { file: _file, ...object } = manifest;
    expect(() => new Model!(object as never).validate()).not.toThrow();
  });

  it('the validator does reject a broken object (a Deployment without a selector, a port that is not a number)', () => {
    const { file: _api, ...api } = structuredClone(named('Deployment', 'paygate-api'));
    delete api.spec!.selector;
    expect(() => new Deployment(api as never).validate()).toThrow(/selector/);
    const { file: _service, ...service } = structuredClone(named('Service', 'paygate-api'));
    (service.spec!.ports![0] as unknown as { port: string }).port = 'eighty';
    expect(() => new Service(service as never).validate()).toThrow();
  });

  it('kustomization.yaml lists every manifest except the example Secret', () => {
    const kustomization = parse(readFileSync(join(DIR, KUSTOMIZATION), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(manifestFiles.filter((f) => f !== 'secret.example.yaml').sort());
  });
});

describe('deploy/kubernetes: consistent with this code', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway(loadConfig({ environment: 'development', dataDir: 'memory', logLevel: 'silent' }, {}), { role: 'all', listen: false });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('every environment variable set is one the server reads or .env.example documents', () => {
    const known = knownEnvNames();
    expect(known.has('DATABASE_URL') && known.has('PAYGATE_SHUTDOWN_GRACE_MS')).toBe(true);
    const set = [
      ...ofKind('ConfigMap').flatMap((m) => Object.keys(m.data ?? {})),
      ...ofKind('Secret').flatMap((m) => Object.keys({ ...m.data, ...m.stringData })),
      ...containers.flatMap(({ container }) => (container.env ?? []).map((e) => e.name)),
    ];
    expect(set.length).toBeGreaterThan(0);
    expect(set.filter((name) => !known.has(name))).toEqual([]);
  });

  it('every envFrom names a ConfigMap or Secret that is defined here', () => {
    for (const { workload, container } of containers) {
      for (const from of container.envFrom ?? []) {
        if (from.configMapRef) expect(() => named('ConfigMap', from.configMapRef!.name), workload.metadata.name).not.toThrow();
        if (from.secretRef) expect(() => named('Secret', from.secretRef!.name), workload.metadata.name).not.toThrow();
      }
    }
  });

  it('each workload runs the pg-cli command of its role, and the commands exist', () => {
    const commandOf = (kind: string, name: string) => named(kind, name).spec!.template!.spec.containers.map((c) => c.args);
    expect(commandOf('Deployment', 'paygate-api')).toEqual([['server']]);
    expect(commandOf('Deployment', 'paygate-worker')).toEqual([['worker']]);
    expect(commandOf('Job', 'paygate-migrate')).toEqual([['migrate']]);
    for (const { container } of containers) {
      // The image's entry point is pg-cli: a `command` would replace it.
      expect(container.command).toBeUndefined();
      expect(existsSync(join(ROOT, 'packages', 'cli', 'src', 'commands', `${container.args![0]}.ts`))).toBe(true);
    }
    expect(['Never', 'OnFailure']).toContain(named('Job', 'paygate-migrate').spec!.template!.spec.restartPolicy);
  });

  it('the probes ask routes the API serves, and get 200 from a healthy gateway', async () => {
    const api = named('Deployment', 'paygate-api').spec!.template!.spec.containers[0]!;
    const probes = { liveness: api.livenessProbe, readiness: api.readinessProbe, startup: api.startupProbe };
    expect(probes.liveness?.httpGet?.path).toBe('/health');
    expect(probes.readiness?.httpGet?.path).toBe('/ready');
    for (const probe of Object.values(probes)) {
      const reply = await gateway.app!.inject({ method: 'GET', url: probe!.httpGet!.path });
      expect(reply.statusCode, probe!.httpGet!.path).toBe(200);
    }
    expect((await gateway.app!.inject({ method: 'GET', url: '/ready' })).json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    // A path that is not a route is not 200, so a probe on a typo would fail here.
    expect((await gateway.app!.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(404);
  });

  it('the container port is PORT, and the probes and the Service point at it', () => {
    const port = Number(named('ConfigMap', 'paygate-config').data!['PORT']);
    const api = named('Deployment', 'paygate-api');
    const container = api.spec!.template!.spec.containers[0]!;
    const declared = container.ports!.find((p) => p.containerPort === port);
    expect(declared, `no container port ${port}`).toBeDefined();
    const refersToIt = (ref: string | number) => ref === port || ref === declared!.name;
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) expect(refersToIt(probe!.httpGet!.port)).toBe(true);
    const service = named('Service', 'paygate-api');
    expect(refersToIt(service.spec!.ports![0]!.targetPort)).toBe(true);
    expect(api.spec!.template!.metadata!.labels).toMatchObject(service.spec!.selector as Record<string, string>);
  });

  it('the termination grace period outlasts the preStop pause plus the gateway shutdown grace and its margin', () => {
    const graceSeconds = Number(named('ConfigMap', 'paygate-config').data!['PAYGATE_SHUTDOWN_GRACE_MS']) / 1000;
    expect(graceSeconds).toBeGreaterThan(0);
    for (const name of ['paygate-api', 'paygate-worker']) {
      const pod = named('Deployment', name).spec!.template!.spec;
      const preStop = Math.max(0, ...pod.containers.map((c) => c.lifecycle?.preStop?.sleep?.seconds ?? 0));
      expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThan(preStop + graceSeconds + PG_CLI_STOP_MARGIN_SECONDS);
    }
  });

  it("at their autoscalers' maximum plus rollout surge, every process's pool fits PostgreSQL's default max_connections", () => {
    // 100 (PostgreSQL's default) less superuser_reserved_connections (3); the migrate Job holds 2 (lock + migration).
    const AVAILABLE = 100 - 3;
    const pool = Number(named('ConfigMap', 'paygate-config').data!['PAYGATE_DATABASE_POOL_SIZE']);
    const processes = ofKind('HorizontalPodAutoscaler').map((hpa) => {
      const deployment = named('Deployment', hpa.spec!.scaleTargetRef!.name) as Manifest & {
        spec: { strategy?: { rollingUpdate?: { maxSurge?: number } } };
      };
      const surge = deployment.spec.strategy?.rollingUpdate?.maxSurge;
      expect(typeof surge, `${deployment.metadata.name}: maxSurge as a number, so it can be counted`).toBe('number');
      return (hpa.spec as unknown as { maxReplicas: number }).maxReplicas + surge!;
    });
    expect(processes.length).toBe(2);
    expect(processes.reduce((a, b) => a + b, 0) * pool + 2).toBeLessThanOrEqual(AVAILABLE);
  });

  it('disruption budgets and autoscalers target the Deployments, with matching selectors', () => {
    for (const pdb of ofKind('PodDisruptionBudget')) {
      const deployment = named('Deployment', pdb.metadata.name);
      expect(deployment.spec!.template!.metadata!.labels).toMatchObject(pdb.spec!.selector!.matchLabels!);
    }
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      expect(hpa.spec!.scaleTargetRef!.kind).toBe('Deployment');
      expect(() => named('Deployment', hpa.spec!.scaleTargetRef!.name)).not.toThrow();
    }
    expect(
      ofKind('PodDisruptionBudget')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(['paygate-api', 'paygate-worker']);
  });
});
