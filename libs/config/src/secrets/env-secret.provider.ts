import { SecretNotFoundError } from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';

/** Source `env`: a variable of the environment captured when the configuration was loaded. */
export class EnvSecretProvider implements SecretProvider {
  readonly source = 'env' as const;

  constructor(private readonly lookup: (name: string) => string | undefined) {}

  async get(ref: SecretRef): Promise<string> {
    const value = this.lookup(ref.name);
    if (value === undefined || value === '')
      throw new SecretNotFoundError(ref, 'the variable is not set');
    return value;
  }
}
