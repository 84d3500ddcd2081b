import { SecretNotFoundError } from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';

/** Source `config`: the `secrets` map of the config file (CONFIG_FILE). */
export class ConfigSecretProvider implements SecretProvider {
  readonly source = 'config' as const;

  constructor(private readonly lookup: (name: string) => string | undefined) {}

  async get(ref: SecretRef): Promise<string> {
    const value = this.lookup(ref.name);
    if (value === undefined)
      throw new SecretNotFoundError(ref, 'the config file has no such entry in its secrets map');
    return value;
  }
}
