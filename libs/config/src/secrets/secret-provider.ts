import { SecretRef, SecretSource } from './secret-ref';

/** One place secrets are read from; SecretResolver dispatches on `source`. */
export interface SecretProvider {
  readonly source: SecretSource;
  get(ref: SecretRef): Promise<string>;
}
