import { CONFIG_SETTINGS } from '../settings/config-settings';
import { InvalidSecretRefError, SecretNotFoundError } from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';

/**
 * The connector's own settings (and their _FILE/_SSM forms) and the process's plumbing are not
 * secrets a request may point at: otherwise a caller could have, say, API_KEYS or DATABASE_URL
 * sent to a bank as a "client secret".
 */
const RESERVED = new Set<string>([
  ...CONFIG_SETTINGS.flatMap((s) => [s.env, `${s.env}_FILE`, `${s.env}_SSM`]),
  'PATH',
  'HOME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'CONFIG_FILE',
]);

/** Source `env`: a variable of the environment captured when the configuration was loaded. */
export class EnvSecretProvider implements SecretProvider {
  readonly source = 'env' as const;

  constructor(private readonly lookup: (name: string) => string | undefined) {}

  async get(ref: SecretRef): Promise<string> {
    if (RESERVED.has(ref.name)) {
      throw new InvalidSecretRefError(
        ref,
        "it names one of the connector's own settings, which requests may not reference",
      );
    }
    const value = this.lookup(ref.name);
    if (value === undefined || value === '')
      throw new SecretNotFoundError(ref, 'the variable is not set');
    return value;
  }
}
