import { Global, Module } from '@nestjs/common';
import { RetentionService } from './retention.service';

/** Global: any module's repository may register a sweep (see RetentionService). */
@Global()
@Module({ providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
