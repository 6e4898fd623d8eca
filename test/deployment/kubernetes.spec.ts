import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { validatedVariables } from '../support/settings';

const ROOT = join(__dirname, '../..');
const K8S = join(ROOT, 'k8s');
/** test/scripts/prereqs.sh installs Debian's kubectl (package kubernetes-client) when missing. */
const KUBECTL = process.env.KUBECTL_BIN ?? 'kubectl';
/** What Debian's kubectl (kustomize v2) renders; newer kustomize renders these too. */
const KUSTOMIZE_V2_FIELDS = [
  'apiVersion',
  'kind',
  'resources',
  'bases',
  'patchesStrategicMerge',
  'configMapGenerator',
];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function render(layer: string): K8sObject[] {
  const out = execFileSync(KUBECTL, ['kustomize', join(K8S, layer)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

/** The kubernetes-models class for an object's apiVersion and kind ("apps/v1" → apps/v1). */
type Model = new (data: object) => { validate(): void };
function modelFor(o: K8sObject): Model {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const group = require(`kubernetes-models/${o.apiVersion}`) as Record<string, Model | undefined>;
  const model = group[o.kind];
  if (!model) throw new Error(`kubernetes-models has no ${o.apiVersion} ${o.kind}`);
  return model;
}

const validationError = (o: K8sObject): string | undefined => {
  try {
    new (modelFor(o))(o).validate();
    return undefined;
  } catch (e) {
    return `${o.kind}/${o.metadata.name}: ${(e as Error).message}`;
  }
};

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} rendered`);
  return found;
};

function kustomizations(dir = K8S): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return kustomizations(path);
    return entry === 'kustomization.yaml' ? [path] : [];
  });
}

/** Every variable the app container gets: its env and the ConfigMaps/Secrets it takes whole. */
interface Container {
  env?: Array<{ name: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef: { name: string } }>;
}
function appVariables(objects: K8sObject[], container: Container): string[] {
  const fromEnv = (container.env ?? []).map((e) => e.name);
  const fromRefs = (container.envFrom ?? []).flatMap((ref) => {
    const source = ref.configMapRef
      ? find(objects, 'ConfigMap', ref.configMapRef.name)
      : find(objects, 'Secret', ref.secretRef.name);
    return Object.keys({ ...source.data, ...source.stringData });
  });
  return [...fromEnv, ...fromRefs];
}

describe('Kubernetes manifests (k8s/)', () => {
  it('use only the kustomize fields that Debian kubectl renders', () => {
    const files = kustomizations();
    expect(files.map((f) => relative(K8S, f)).sort()).toEqual([
      'base/kustomization.yaml',
      'overlays/local/kustomization.yaml',
    ]);
    for (const file of files) {
      const unknown = Object.keys(parse(readFileSync(file, 'utf8'))).filter(
        (k) => !KUSTOMIZE_V2_FIELDS.includes(k),
      );
      expect({ file: relative(K8S, file), unknown }).toEqual({
        file: relative(K8S, file),
        unknown: [],
      });
    }
  });

  it('the validator rejects a broken object', () => {
    const deployment = find(render('base'), 'Deployment', 'bookstore');
    expect(validationError(deployment)).toBeUndefined();
    expect(
      validationError({ ...deployment, spec: { ...deployment.spec, replicas: 'three' } }),
    ).toMatch(/replicas/);
  });

  describe.each(['base', 'overlays/local'])('%s', (layer) => {
    const objects = render(layer);
    const deployment = find(objects, 'Deployment', 'bookstore');
    const pod = deployment.spec.template.spec;
    const app = pod.containers[0];

    it('renders objects that are valid against the Kubernetes API schema', () => {
      expect(objects.length).toBeGreaterThan(5);
      expect(objects.map(validationError).filter(Boolean)).toEqual([]);
    });

    it('runs the app as 3 non-root, read-only replicas with probes, limits and a drain', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(app.livenessProbe.httpGet.path).toBe('/health/live');
      expect(app.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(app.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(app.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(app.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(app.securityContext.allowPrivilegeEscalation).toBe(false);
      // The grace period covers the preStop pause and the app's whole drain (src/main.ts).
      const preStop = app.lifecycle.preStop.exec.command as string[];
      expect(preStop[0]).toBe('sleep');
      const drainMs = Number(
        /SHUTDOWN_DEADLINE_MS = ([\d_]+)/
          .exec(readFileSync(join(ROOT, 'src/main.ts'), 'utf8'))![1]
          .replace(/_/g, ''),
      );
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
        Number(preStop[1]) + drainMs / 1000,
      );
    });

    it('sets only variables the app validates', () => {
      const known = new Set(validatedVariables());
      const vars = appVariables(objects, app);
      expect(vars).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'REDIS_CLUSTER_NODES', 'RABBITMQ_URL']),
      );
      expect(vars.filter((v) => !known.has(v))).toEqual([]);
    });

    it('routes Ingress → Service → the pods, and scales and protects the Deployment', () => {
      const labels = pod.metadata?.labels ?? deployment.spec.template.metadata.labels;
      const service = find(objects, 'Service', 'bookstore');
      expect(labels).toMatchObject(service.spec.selector);
      const ingress = find(objects, 'Ingress', 'bookstore');
      expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('bookstore');
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'bookstore');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'bookstore' });
      expect(hpa.spec.minReplicas).toBe(3);
      const pdb = find(objects, 'PodDisruptionBudget', 'bookstore');
      expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    });
  });

  it('base: PostgreSQL, the Redis Cluster and RabbitMQ are external names', () => {
    const objects = render('base');
    for (const name of ['postgres', 'redis-cluster', 'rabbitmq'])
      expect(find(objects, 'Service', name).spec.type).toBe('ExternalName');
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
  });

  it('local overlay: StatefulSets behind those names, the cluster seeds are its pods', () => {
    const objects = render('overlays/local');
    for (const name of ['postgres', 'redis-cluster', 'rabbitmq']) {
      const service = find(objects, 'Service', name);
      expect({ name, type: service.spec.type, externalName: service.spec.externalName }).toEqual({
        name,
        type: 'ClusterIP',
        externalName: undefined,
      });
      const set = objects.find((o) => o.kind === 'StatefulSet' && o.spec.serviceName === name)!;
      expect(set.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    }
    const redis = objects.find(
      (o) => o.kind === 'StatefulSet' && o.spec.serviceName === 'redis-cluster',
    )!;
    expect(redis.spec.replicas).toBe(6);
    const pods = Array.from(
      { length: 6 },
      (_, i) => `${redis.metadata.name}-${i}.redis-cluster:6379`,
    );
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.data?.REDIS_CLUSTER_NODES)!;
    expect(config.data!.REDIS_CLUSTER_NODES.split(',')).toEqual(pods);
    expect(find(objects, 'Job', 'redis-cluster-init')).toBeDefined();
  });
});
