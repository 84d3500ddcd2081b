import { ConnectorConfig } from '@obc/config';

/** The configuration token-management needs; a class so it is the injection token. */
export abstract class TokenManagementSettings {
  /** A cached token is dropped this long before the bank says it expires. */
  abstract readonly earlyExpirySeconds: number;
  /** How long a bank's OpenID configuration is reused. */
  abstract readonly discoveryCacheSeconds: number;
  /** How long a refresh waits for the consent token's row lock (PostgreSQL) before giving up. */
  abstract readonly refreshLockWaitSeconds?: number;
}

export const DEFAULT_REFRESH_LOCK_WAIT_SECONDS = 30;

export const DEFAULT_TOKEN_MANAGEMENT_SETTINGS: TokenManagementSettings = {
  earlyExpirySeconds: 30,
  discoveryCacheSeconds: 3600,
  refreshLockWaitSeconds: DEFAULT_REFRESH_LOCK_WAIT_SECONDS,
};

export function tokenManagementSettingsFrom(config?: ConnectorConfig): TokenManagementSettings {
  return {
    ...DEFAULT_TOKEN_MANAGEMENT_SETTINGS,
    ...(config?.tokens
      ? {
          earlyExpirySeconds: config.tokens.earlyExpirySeconds,
          refreshLockWaitSeconds: config.tokens.refreshLockWaitSeconds,
        }
      : {}),
  };
}
