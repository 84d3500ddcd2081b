import type { ConnectorConfig, SecretResolving } from '@obc/config';

/**
 * The slices of the connector configuration this lib reads. They mirror
 * `ConnectorConfig.database` and `ConnectorConfig.encryption` from `@obc/config`, declared here
 * structurally so the data-source helpers (used by the migration CLI and tests) need no Nest
 * container.
 */
export interface DatabaseSettings {
  /** PostgreSQL connection URL; when absent the embedded SQLite file is used. */
  url?: string;
  sqlitePath: string;
  migrateOnStart: boolean;
  poolSize: number;
  logging: boolean;
}

export interface EncryptionSettings {
  /** The configured default key (ENCRYPTION_KEY), exactly 32 bytes. */
  defaultKey?: Buffer;
  defaultKeyId: string;
}

/** What the persistence module needs from the configuration, provided under PERSISTENCE_SETTINGS. */
export interface PersistenceSettings {
  database: DatabaseSettings;
  encryption: EncryptionSettings;
}

export const PERSISTENCE_SETTINGS = Symbol('PERSISTENCE_SETTINGS');

/** The persistence view of the connector configuration. */
export function persistenceSettingsFromConfig(config: ConnectorConfig): PersistenceSettings {
  const { url, sqlitePath, migrateOnStart, poolSize, logging } = config.database;
  return {
    database: { url, sqlitePath, migrateOnStart, poolSize, logging },
    encryption: { defaultKey: config.encryption.key, defaultKeyId: config.encryption.keyId },
  };
}

/** Resolves a SecretRef to its value: `SecretResolver` from `@obc/config` by default. */
export type KeyMaterialResolver = SecretResolving;

export const KEY_MATERIAL_RESOLVER = Symbol('KEY_MATERIAL_RESOLVER');
