import {
  DynamicModule,
  Global,
  Module,
  type InjectionToken,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ERROR_TRANSLATOR } from '@obc/common';
import { ConnectorConfig, SecretResolver } from '@obc/config';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { createDataSourceOptions, type MigrationClass } from './data-source/data-source-options';
import { databaseUnavailableTranslator } from './data-source/database-unavailable';
import { assertSchemaCurrent, DatabaseSchemaBehindError } from './data-source/migration-status';
import { EncryptionKeyRing } from './encryption/encryption-key-ring';
import { EncryptionKeyEntity } from './encryption/encryption-key.entity';
import { EncryptionKeyRepository } from './encryption/encryption-key.repository';
import { EncryptionKeyService } from './encryption/encryption-key.service';
import { EncryptionKeysController } from './encryption/encryption-keys.controller';
import { SecretCipher } from './encryption/secret-cipher';
import {
  KEY_MATERIAL_RESOLVER,
  PERSISTENCE_SETTINGS,
  persistenceSettingsFromConfig,
  type KeyMaterialResolver,
  type PersistenceSettings,
} from './persistence.settings';

export interface PersistenceModuleOptions {
  /** Every migration of the app, in order (apps/connector/src/migrations.ts). */
  migrations: readonly MigrationClass[];
  /**
   * Where the settings and the secret resolver come from. Defaults to ConnectorConfig and
   * SecretResolver of the global ConnectorConfigModule; tests pass their own.
   */
  settings?: {
    imports?: ModuleMetadata['imports'];
    inject?: InjectionToken[];
    useFactory: (...deps: never[]) => PersistenceSettings | Promise<PersistenceSettings>;
  };
  keyResolver?: KeyMaterialResolver;
}

/** Provides the settings and resolver to both this module and the TypeORM core module. */
@Module({})
class PersistenceSettingsModule {
  static register(options: PersistenceModuleOptions): DynamicModule {
    const settings: Provider = options.settings
      ? {
          provide: PERSISTENCE_SETTINGS,
          useFactory: options.settings.useFactory,
          inject: options.settings.inject ?? [],
        }
      : {
          provide: PERSISTENCE_SETTINGS,
          useFactory: persistenceSettingsFromConfig,
          inject: [ConnectorConfig],
        };
    const resolver: Provider = options.keyResolver
      ? { provide: KEY_MATERIAL_RESOLVER, useValue: options.keyResolver }
      : { provide: KEY_MATERIAL_RESOLVER, useExisting: SecretResolver };
    return {
      module: PersistenceSettingsModule,
      imports: options.settings?.imports ?? [],
      providers: [settings, resolver],
      exports: [PERSISTENCE_SETTINGS, KEY_MATERIAL_RESOLVER],
    };
  }
}

/** Opens the data source, then applies or checks migrations before anything uses it. */
async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    // With migrationsRun the driver has just applied them; otherwise refuse an old schema.
    await assertSchemaCurrent(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * The database (PostgreSQL when DATABASE_URL is set, else SQLite), the migrations policy and
 * encryption at rest. Feature libs register their entities with TypeOrmModule.forFeature.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const settingsModule = PersistenceSettingsModule.register(options);
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        settingsModule,
        TypeOrmModule.forRootAsync({
          imports: [settingsModule],
          inject: [PERSISTENCE_SETTINGS],
          useFactory: (settings: PersistenceSettings) => ({
            ...createDataSourceOptions(settings.database, options.migrations),
            migrationsRun: settings.database.migrateOnStart,
            autoLoadEntities: true,
            retryAttempts: 5,
            retryDelay: 2000,
            // An old schema or a failed migration will not fix itself by retrying.
            toRetry: (error: unknown) =>
              !(error instanceof DatabaseSchemaBehindError) && !isMigrationFailure(error),
          }),
          dataSourceFactory: async (dsOptions) => {
            if (!dsOptions) throw new Error('PersistenceModule: no data source options');
            return openDataSource(dsOptions);
          },
        }),
        TypeOrmModule.forFeature([EncryptionKeyEntity]),
      ],
      controllers: [EncryptionKeysController],
      providers: [
        EncryptionKeyRepository,
        EncryptionKeyRing,
        SecretCipher,
        EncryptionKeyService,
        // Connection errors of the database become 503 database/unavailable (ProblemDetailsFilter).
        {
          provide: ERROR_TRANSLATOR,
          inject: [PERSISTENCE_SETTINGS],
          useFactory: (settings: PersistenceSettings) =>
            databaseUnavailableTranslator(settings.database.url),
        },
      ],
      exports: [
        settingsModule,
        SecretCipher,
        EncryptionKeyService,
        TypeOrmModule,
        ERROR_TRANSLATOR,
      ],
    };
  }
}

function isMigrationFailure(error: unknown): boolean {
  return error instanceof Error && /migration/i.test(error.message);
}
