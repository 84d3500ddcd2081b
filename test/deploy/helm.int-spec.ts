/**
 * The Helm chart, checked with the real helm binary (`helm lint --strict`, `helm template`) and
 * then object by object: what a cluster would run must be safe (non-root, read-only root
 * filesystem, no capabilities), observable (probes on the health endpoints), migrated once per
 * release (hook Job) and consistently labelled (HPA, PDB, Service and ServiceMonitor select the
 * Deployment's pods). values.schema.json must describe every value and refuse wrong ones.
 *
 * There is no cluster here, so kubectl cannot validate; when the `kubernetes-models` package is
 * installed every built-in object is also validated against the Kubernetes OpenAPI schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  allContainers,
  CHART_DIR,
  Container,
  Deployment,
  EnvVar,
  helm,
  Hpa,
  Ingress,
  Job,
  K8sObject,
  only,
  Pdb,
  PodSpec,
  PRODUCTION_VALUES,
  renderChart,
  selects,
  Service,
  ServiceMonitor,
} from './support/helm-chart';
import { validateWithKubernetesModels } from './support/kubernetes-models';

jest.setTimeout(120_000);

const SECRET_ENV = ['DATABASE_URL', 'API_KEYS', 'ENCRYPTION_KEY'];

function envOf(container: Container): Map<string, EnvVar> {
  return new Map((container.env ?? []).map((e) => [e.name, e]));
}

function expectHardenedPod(pod: PodSpec): void {
  expect(pod.securityContext?.runAsNonRoot).toBe(true);
  expect(pod.securityContext?.runAsUser).toBe(10001);
  expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
  for (const c of allContainers(pod)) {
    const sc = c.securityContext ?? {};
    // Effective values: a container setting wins over the pod's.
    expect({
      container: c.name,
      runAsNonRoot: sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot,
    }).toEqual({ container: c.name, runAsNonRoot: true });
    expect(sc.runAsUser ?? pod.securityContext?.runAsUser).not.toBe(0);
    expect(sc.readOnlyRootFilesystem).toBe(true);
    expect(sc.allowPrivilegeEscalation).toBe(false);
    expect(sc.privileged ?? false).toBe(false);
    expect(sc.capabilities?.drop).toContain('ALL');
    expect(sc.capabilities?.add ?? []).toEqual([]);
    // The one writable path is /tmp, an emptyDir.
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(tmp).toBeDefined();
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(c.resources?.requests?.cpu).toBeDefined();
    expect(c.resources?.requests?.memory).toBeDefined();
    expect(c.resources?.limits?.memory).toBeDefined();
    // Secrets are referenced, never written into the manifest.
    for (const name of SECRET_ENV) expect(envOf(c).get(name)?.value).toBeUndefined();
  }
}

/** Schema node for a values path, following $ref, properties, additionalProperties and items. */
type SchemaNode = {
  $ref?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
};

function deref(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name];
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  // A $ref's siblings (its own description) and the target's keywords both apply.
  return { ...deref(root, target), ...(node.description ? { description: node.description } : {}) };
}

/** Every value path in `values` that the schema does not name with a description. */
function undescribedPaths(
  root: SchemaNode,
  node: SchemaNode,
  value: unknown,
  path: string,
): string[] {
  const schema = deref(root, node);
  const missing: string[] = [];
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((v, i) =>
        missing.push(...undescribedPaths(root, schema.items as SchemaNode, v, `${path}[${i}]`)),
      );
    return missing;
  }
  if (value === null || typeof value !== 'object' || !schema.properties) return missing;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = schema.properties[key];
    if (!childSchema) {
      // Free-form maps (annotations, labels, extraEnv) describe their entries as a whole.
      if (!schema.additionalProperties) missing.push(`${path}.${key} (not in the schema)`);
      continue;
    }
    if (!deref(root, childSchema).description) missing.push(`${path}.${key} (no description)`);
    missing.push(...undescribedPaths(root, childSchema, child, `${path}.${key}`));
  }
  return missing;
}

describe('Helm chart uk-open-banking-connector', () => {
  describe('helm lint --strict', () => {
    it.each([
      ['default values', []],
      ['the production example', ['-f', PRODUCTION_VALUES]],
    ])('passes with %s', (_label, args) => {
      const r = helm(['lint', '--strict', CHART_DIR, ...args]);
      expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({
        status: 0,
        out: expect.stringContaining('0 chart(s) failed'),
      });
    });
  });

  describe('values.schema.json', () => {
    const schema = JSON.parse(
      readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'),
    ) as SchemaNode;

    it.each([
      ['values.yaml', join(CHART_DIR, 'values.yaml')],
      ['values-production-example.yaml', PRODUCTION_VALUES],
    ])('describes every value in %s', (_label, file) => {
      const values = parse(readFileSync(file, 'utf8')) as unknown;
      expect(undescribedPaths(schema, schema, values, '')).toEqual([]);
    });

    it.each([
      ['a string replica count', ['--set', 'replicaCount=three'], /replicaCount/],
      ['an unknown top-level key', ['--set', 'replicaCnt=3'], /replicaCnt/],
      ['an unknown nested key', ['--set', 'config.logLevl=debug'], /logLevl/],
      [
        'an SSM secret without a parameter name',
        ['--set', 'secrets.apiKeys.source=ssm'],
        /ssmParameter/,
      ],
      ['running as root', ['--set', 'podSecurityContext.runAsNonRoot=false'], /runAsNonRoot/],
      ['a heap cap too small to run', ['--set', 'heapSizeMb=16'], /heapSizeMb/],
      [
        'a writable privilege escalation',
        ['--set', 'securityContext.allowPrivilegeEscalation=true'],
        /allowPrivilegeEscalation/,
      ],
    ])('refuses %s in lint and template', (_label, args, message) => {
      const lint = helm(['lint', '--strict', CHART_DIR, ...args]);
      expect(lint.status).not.toBe(0);
      expect(lint.stdout + lint.stderr).toMatch(message);
      const template = helm(['template', 'obc', CHART_DIR, ...args]);
      expect(template.status).not.toBe(0);
      expect(template.stderr).toMatch(message);
    });

    it('refuses to render without caller API keys or a database', () => {
      expect(
        helm(['template', 'obc', CHART_DIR, '--set', 'secrets.apiKeys.source=none']).stderr,
      ).toMatch(/API keys/);
      expect(
        helm(['template', 'obc', CHART_DIR, '--set', 'secrets.databaseUrl.source=none']).stderr,
      ).toMatch(/PostgreSQL/);
    });
  });

  describe.each([
    ['default values', [] as string[], false],
    ['the production example', ['-f', PRODUCTION_VALUES], true],
  ])('rendered with %s', (_label, args, production) => {
    let objects: K8sObject[];
    let deployment: Deployment;
    let job: Job;
    let service: Service;
    beforeAll(() => {
      objects = renderChart(args);
      deployment = only<Deployment>(objects, 'Deployment');
      job = only<Job>(objects, 'Job');
      service = only<Service>(objects, 'Service');
    });

    it('has the expected kinds', () => {
      const kinds = objects.map((o) => o.kind).sort();
      const expected = [
        'ConfigMap',
        'Deployment',
        'Job',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
        'ServiceAccount',
      ];
      if (production) expected.push('HorizontalPodAutoscaler', 'Ingress', 'ServiceMonitor');
      expect(kinds).toEqual(expected.sort());
      // Every object has a unique (kind, name).
      expect(new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`)).size).toBe(objects.length);
    });

    it('runs a hardened, probed Deployment that never migrates on start', () => {
      const pod = deployment.spec.template.spec;
      expectHardenedPod(pod);
      const [c] = pod.containers;
      expect(c.command).toEqual(['node', 'dist/apps/connector/src/main.js']);
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(c.startupProbe?.httpGet?.path).toBe('/health/live');
      expect(c.ports?.find((p) => p.name === 'http')).toBeDefined();
      expect(envOf(c).get('DATABASE_MIGRATE_ON_START')?.value).toBe('false');
      // A heap cap that fits the memory limit, not one V8 derives from the node's memory.
      expect(envOf(c).get('NODE_OPTIONS')?.value).toMatch(/^--max-old-space-size=\d+$/);
      expect(c.envFrom?.[0]?.configMapRef?.name).toBe(only(objects, 'ConfigMap').metadata.name);
      // The pods' identity carries the IRSA role when one is configured.
      const sa = objects.find(
        (o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName,
      );
      expect(sa).toBeDefined();
      if (production)
        expect(sa?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::/);
      // Spread across zones and nodes, each constraint selecting this Deployment's pods.
      const keys = (pod.topologySpreadConstraints ?? []).map((t) => t.topologyKey).sort();
      expect(keys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      for (const t of pod.topologySpreadConstraints ?? [])
        expect(selects(t.labelSelector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
          true,
        );
      expect(
        selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
      ).toBe(true);
    });

    it('takes secrets from Secrets by default and from SSM in production', () => {
      const env = envOf(deployment.spec.template.spec.containers[0]);
      for (const name of SECRET_ENV) {
        if (production) {
          expect(env.get(`${name}_SSM`)?.value).toMatch(/^\/connector\/prod\//);
          expect(env.has(name)).toBe(false);
        } else {
          expect(env.get(name)?.valueFrom?.secretKeyRef).toEqual({
            name: 'obc-uk-open-banking-connector',
            key: name,
          });
        }
      }
    });

    it('migrates in a pre-install/pre-upgrade hook Job with the same configuration', () => {
      const a = job.metadata.annotations ?? {};
      expect(a['helm.sh/hook']?.split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
      expect(a['helm.sh/hook-weight']).toMatch(/^-?\d+$/);
      expect(a['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
      const pod = job.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expectHardenedPod(pod);
      const [c] = pod.containers;
      expect(c.command).toEqual(['node', 'dist/apps/connector/src/migrate.js']);
      expect(c.image).toBe(deployment.spec.template.spec.containers[0].image);
      // Inlined env equals the ConfigMap (which does not exist yet at pre-install) ...
      const env = envOf(c);
      for (const [k, v] of Object.entries(only(objects, 'ConfigMap').data ?? {}))
        expect({ k, v: env.get(k)?.value }).toEqual({ k, v });
      // ... and the secret references equal the Deployment's.
      const secretRefs = (ev: Map<string, EnvVar>) =>
        [...ev.values()].filter((e) => SECRET_ENV.some((s) => e.name.startsWith(s)));
      expect(secretRefs(env)).toEqual(
        secretRefs(envOf(deployment.spec.template.spec.containers[0])),
      );
      // Its ServiceAccount is a hook too, created before it (a lower weight).
      const sa = objects.find(
        (o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName,
      );
      expect(sa?.metadata.annotations?.['helm.sh/hook']).toBe(a['helm.sh/hook']);
      expect(Number(sa?.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
        Number(a['helm.sh/hook-weight']),
      );
      // The migrations pod is not one of the API pods (PDB and Service must not count it).
      expect(selects(deployment.spec.selector.matchLabels, job.spec.template.metadata.labels)).toBe(
        false,
      );
    });

    it('puts non-secret configuration in the ConfigMap only', () => {
      const data = only(objects, 'ConfigMap').data ?? {};
      expect(Object.keys(data)).toEqual(
        expect.arrayContaining([
          'PORT',
          'LOG_LEVEL',
          'NODE_ENV',
          'BANK_HTTP_TIMEOUT_MS',
          'AWS_REGION',
          'BANK_PROFILE_OVERRIDES',
        ]),
      );
      for (const name of SECRET_ENV) expect(Object.keys(data)).not.toContain(name);
      expect(() => JSON.parse(data.BANK_PROFILE_OVERRIDES) as unknown).not.toThrow();
      if (production) expect(data.DIRECTORY_PRODUCTION_SSA_URL).toContain('{organisationId}');
    });

    it('routes the Service to the pods without sticky sessions', () => {
      expect(selects(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
      expect(service.spec.sessionAffinity ?? 'None').toBe('None');
      expect(service.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
    });

    it('selects the Deployment pods from the PDB, and the HPA targets the Deployment', () => {
      const pdb = only<Pdb>(objects, 'PodDisruptionBudget');
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(selects(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
        true,
      );
      expect(
        [pdb.spec.minAvailable, pdb.spec.maxUnavailable].filter((v) => v !== undefined),
      ).toHaveLength(1);
      const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler') as Hpa[];
      if (production) {
        expect(hpas[0].apiVersion).toBe('autoscaling/v2');
        expect(hpas[0].spec.scaleTargetRef).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata.name,
        });
        expect(hpas[0].spec.minReplicas).toBeGreaterThanOrEqual(3);
        // The HPA owns the replica count; a fixed one would fight it on every upgrade.
        expect(deployment.spec.replicas).toBeUndefined();
        // A PDB of minAvailable 2 leaves room to drain a node with 3 replicas.
        expect(Number(pdb.spec.minAvailable)).toBeLessThan(hpas[0].spec.minReplicas);
      } else {
        expect(deployment.spec.replicas).toBe(2);
      }
    });

    it('wires the Ingress and ServiceMonitor to the Service', () => {
      const ingresses = objects.filter((o) => o.kind === 'Ingress') as Ingress[];
      const monitors = objects.filter((o) => o.kind === 'ServiceMonitor') as ServiceMonitor[];
      expect(ingresses.length).toBe(production ? 1 : 0);
      expect(monitors.length).toBe(production ? 1 : 0);
      for (const ing of ingresses) {
        for (const p of ing.spec.rules.flatMap((r) => r.http.paths)) {
          expect(p.backend.service.name).toBe(service.metadata.name);
          expect(service.spec.ports.map((sp) => sp.name)).toContain(p.backend.service.port.name);
        }
      }
      for (const sm of monitors) {
        expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
        expect(selects(sm.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
        expect(sm.spec.endpoints).toEqual([
          expect.objectContaining({ port: 'http', path: '/metrics' }),
        ]);
      }
    });

    it('is valid against the Kubernetes schemas (when kubernetes-models is installed)', async () => {
      const result = await validateWithKubernetesModels(objects);
      if (!result.available) {
        console.warn(
          'kubernetes-models is not installed: rendered objects were checked structurally only',
        );
        return;
      }
      expect(result.errors).toEqual([]);
      expect(result.validated).toBeGreaterThanOrEqual(objects.length - (production ? 1 : 0));
    });
  });
});
