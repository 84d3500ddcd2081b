import type { K8sObject } from './helm-chart';

export interface ModelValidation {
  /** False when the optional `kubernetes-models` package is not installed. */
  available: boolean;
  validated: number;
  errors: string[];
}

// A variable, not a literal: the package is optional and TypeScript must not resolve it.
const PACKAGE = 'kubernetes-models';

type ModelClass = new (data: unknown) => { validate(): void };

function isModuleNotFound(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    'code' in e &&
    (e as { code: unknown }).code === 'MODULE_NOT_FOUND'
  );
}

/**
 * Validates built-in objects against the Kubernetes OpenAPI schemas shipped by the optional
 * `kubernetes-models` package (`kubernetes-models/<apiVersion>` exports one class per kind whose
 * `validate()` throws on a wrong type or a missing required field). Custom resources (the
 * ServiceMonitor) are not in it and are checked structurally by the caller.
 */
export async function validateWithKubernetesModels(objects: K8sObject[]): Promise<ModelValidation> {
  const result: ModelValidation = { available: true, validated: 0, errors: [] };
  for (const obj of objects) {
    const specifier = `${PACKAGE}/${obj.apiVersion}`;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(specifier)) as Record<string, unknown>;
    } catch (e) {
      if (!isModuleNotFound(e)) throw e;
      try {
        await import(PACKAGE);
      } catch (inner) {
        if (isModuleNotFound(inner)) return { available: false, validated: 0, errors: [] };
        throw inner;
      }
      continue; // a group the package does not ship (a CRD)
    }
    const Model = mod[obj.kind] as ModelClass | undefined;
    if (!Model) continue;
    try {
      new Model(obj).validate();
      result.validated += 1;
    } catch (e) {
      result.errors.push(
        `${obj.kind}/${obj.metadata.name}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return result;
}
