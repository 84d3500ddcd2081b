import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AuthContextEntity } from './auth-context.entity';

/** Storage of auth contexts, with intent-named methods. */
@Injectable()
export class AuthContextRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
