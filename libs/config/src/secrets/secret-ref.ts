export const SECRET_SOURCES = ['env', 'file', 'aws-ssm', 'config'] as const;
export type SecretSource = (typeof SECRET_SOURCES)[number];

/**
 * A reference to a secret held elsewhere; secrets are referenced, never sent inline.
 * `name` is an environment variable (env), an absolute file path (file), an SSM parameter name
 * (aws-ssm) or a key of the config file's `secrets` map (config).
 */
export interface SecretRef {
  source: SecretSource;
  name: string;
}

export function describeSecretRef(ref: SecretRef): string {
  return `${ref.source}:${ref.name}`;
}
