import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RetentionService } from '@obc/persistence';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { AuthContextEntity } from './auth-context.entity';

/** Storage of auth contexts, with intent-named methods. */
@Injectable()
export class AuthContextRepository implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly retention?: RetentionService,
  ) {}

  onModuleInit(): void {
    this.retention?.register({
      name: 'auth_context',
      purgeOlderThan: (cutoff) => this.purgeExpiredBefore(cutoff),
    });
  }

  /**
   * Deletes the contexts that expired before `cutoff`: every context expires minutes after it is
   * made (AUTH_CONTEXT_TTL_SECONDS), redeemed or not, so these are history. A deleted state is
   * refused like any unknown one.
   */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    const result = await this.repo.delete({ expiresAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  private get repo() {
    return this.dataSource.getRepository(AuthContextEntity);
  }

  insert(context: AuthContextEntity): Promise<AuthContextEntity> {
    return this.repo.save(context);
  }

  /**
   * Marks the context of `state` used and returns it, or undefined when no unused context has
   * that state. One conditional UPDATE: of two concurrent redirects (any replicas), exactly one
   * sees a row affected, so a state is redeemed at most once.
   */
  async consume(state: string, now: Date): Promise<AuthContextEntity | undefined> {
    const result = await this.repo.update({ state, consumedAt: IsNull() }, { consumedAt: now });
    if (!result.affected) return undefined;
    return (await this.repo.findOne({ where: { state } })) ?? undefined;
  }
}
