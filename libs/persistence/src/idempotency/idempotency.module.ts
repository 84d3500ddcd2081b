import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectorConfig } from '@obc/config';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyRecordRepository } from './idempotency-record.repository';
import { IDEMPOTENCY_OPTIONS, IdempotencyOptions, IdempotencyService } from './idempotency.service';

/** The options from the configuration (IDEMPOTENCY_LOCK_SECONDS); defaults without one. */
export function idempotencyOptionsFrom(config?: ConnectorConfig): Partial<IdempotencyOptions> {
  return config?.idempotency ? { lockTtlMs: config.idempotency.lockSeconds * 1000 } : {};
}

/** Import in a feature module to run its bank creations through IdempotencyService. */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordEntity])],
  providers: [
    {
      provide: IDEMPOTENCY_OPTIONS,
      useFactory: (config?: ConnectorConfig) => idempotencyOptionsFrom(config),
      inject: [{ token: ConnectorConfig, optional: true }],
    },
    IdempotencyRecordRepository,
    IdempotencyService,
  ],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
