import { GetParameterCommand, SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import { SecretNotFoundError, SecretUnavailableError } from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';

export interface AwsSsmSecretProviderOptions {
  region: string;
  /** AWS_SSM_ENDPOINT: a local or VPC endpoint instead of the regional one. */
  endpoint?: string;
  /** Extra client settings (credentials, retries); credentials otherwise come from the SDK's chain. */
  clientConfig?: Omit<SSMClientConfig, 'region' | 'endpoint'>;
}

/** Source `aws-ssm`: an SSM Parameter Store parameter, read with decryption (SecureString). */
export class AwsSsmSecretProvider implements SecretProvider {
  readonly source = 'aws-ssm' as const;
  private client?: SSMClient;

  constructor(private readonly options: AwsSsmSecretProviderOptions) {}

  async get(ref: SecretRef): Promise<string> {
    let value: string | undefined;
    try {
      const out = await this.ssm().send(
        new GetParameterCommand({ Name: ref.name, WithDecryption: true }),
      );
      value = out.Parameter?.Value;
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'ParameterNotFound' || name === 'ParameterVersionNotFound') {
        throw new SecretNotFoundError(ref, 'AWS SSM has no such parameter');
      }
      // The SDK's message can quote the request; keep only the error name and status.
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new SecretUnavailableError(
        ref,
        `AWS SSM call failed (${name}${status ? `, HTTP ${status}` : ''})`,
        e,
      );
    }
    if (value === undefined || value === '')
      throw new SecretNotFoundError(ref, 'the AWS SSM parameter has no value');
    return value;
  }

  /** Created on first use, so configurations without SSM never build a client. */
  private ssm(): SSMClient {
    this.client ??= new SSMClient({
      ...this.options.clientConfig,
      region: this.options.region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    });
    return this.client;
  }

  destroy(): void {
    this.client?.destroy();
  }
}
