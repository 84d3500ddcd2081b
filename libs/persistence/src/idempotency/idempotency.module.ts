import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyRecordRepository } from './idempotency-record.repository';
import { IdempotencyService } from './idempotency.service';

/** Import in a feature module to run its bank creations through IdempotencyService. */
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordEntity])],
  providers: [IdempotencyRecordRepository, IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
