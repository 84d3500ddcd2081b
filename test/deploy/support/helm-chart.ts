import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureKubeTools, findRepoRoot } from '../../../scripts/get-helm';

export const REPO_ROOT = findRepoRoot(__dirname);
export const CHART_DIR = join(REPO_ROOT, 'helm', 'uk-open-banking-connector');
export const PRODUCTION_VALUES = join(REPO_ROOT, 'helm', 'values-production-example.yaml');

/** The few fields of rendered Kubernetes objects these checks read. */
export interface ObjectMeta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
export interface PodSpec {
  serviceAccountName?: string;
  restartPolicy?: string;
  securityContext?: SecurityContext & { fsGroup?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: { sizeLimit?: string }; configMap?: { name: string } }[];
  topologySpreadConstraints?: {
    topologyKey: string;
    labelSelector: { matchLabels: Record<string, string> };
  }[];
}
export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  data?: Record<string, string>;
  spec?: unknown;
}
export interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
  };
}
export interface Job extends K8sObject {
  spec: { backoffLimit?: number; template: PodTemplate };
}
export interface Service extends K8sObject {
  spec: {
    selector: Record<string, string>;
    sessionAffinity?: string;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
}
export interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
  };
}
export interface Pdb extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    minAvailable?: number | string;
    maxUnavailable?: number | string;
  };
}
export interface Ingress extends K8sObject {
  spec: {
    rules: {
      host: string;
      http: {
        paths: {
          path: string;
          backend: { service: { name: string; port: { name?: string; number?: number } } };
        }[];
      };
    }[];
  };
}
export interface ServiceMonitor extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    endpoints: { port: string; path: string }[];
  };
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the cached real helm binary (fetched on first use, see scripts/get-helm.ts). */
export function helm(args: string[]): HelmResult {
  const { helm: helmBin } = ensureKubeTools(REPO_ROOT);
  // Helm homes under .cache/ so a developer's own helm repositories and plugins play no part.
  const r = spawnSync(helmBin, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      HELM_CACHE_HOME: join(REPO_ROOT, '.cache', 'helm', 'home', 'cache'),
      HELM_CONFIG_HOME: join(REPO_ROOT, '.cache', 'helm', 'home', 'config'),
      HELM_DATA_HOME: join(REPO_ROOT, '.cache', 'helm', 'home', 'data'),
    },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` of the chart, parsed; fails the test with helm's message when rendering fails. */
export function renderChart(extraArgs: string[] = []): K8sObject[] {
  const r = helm(['template', 'obc', CHART_DIR, '--namespace', 'open-banking', ...extraArgs]);
  if (r.status !== 0) throw new Error(`helm template failed (${r.status}):\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((doc) => {
      if (doc.errors.length)
        throw new Error(
          `rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`,
        );
      return doc.toJS() as unknown;
    })
    .filter((o): o is K8sObject => typeof o === 'object' && o !== null && 'kind' in o);
}

export function only<T extends K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0] as T;
}

/** True when every label of `selector` is on `labels` with the same value. */
export function selects(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

export function allContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}
