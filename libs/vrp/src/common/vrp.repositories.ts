import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUniqueViolation } from '@obc/persistence';
import { Repository } from 'typeorm';
import { DomesticVrpConsentEntity } from '../consents/domestic-vrp-consent.entity';
import { DomesticVrpEntity } from '../payments/domestic-vrp.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class DomesticVrpConsentRepository {
  constructor(
    @InjectRepository(DomesticVrpConsentEntity)
    private readonly rows: Repository<DomesticVrpConsentEntity>,
  ) {}

  save(row: DomesticVrpConsentEntity): Promise<DomesticVrpConsentEntity> {
    return this.rows.save(row);
  }

  /** Not deleted; ids that cannot be UUIDs are simply unknown (PostgreSQL refuses to compare). */
  async findActive(id: string): Promise<DomesticVrpConsentEntity | null> {
    return UUID.test(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}

@Injectable()
export class DomesticVrpRepository {
  constructor(
    @InjectRepository(DomesticVrpEntity)
    private readonly rows: Repository<DomesticVrpEntity>,
  ) {}

  save(row: DomesticVrpEntity): Promise<DomesticVrpEntity> {
    return this.rows.save(row);
  }

  async findActive(id: string): Promise<DomesticVrpEntity | null> {
    return UUID.test(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  /**
   * Stores the payment the bank made, unique per (consent, bank payment id): when a row exists
   * (a retry with the same x-idempotency-key, to which the bank replays its first payment, or a
   * late holder whose record was taken over) it is kept as stored, id included (the replay may be
   * older than what a GET has read since). A concurrent
   * writer's insert (unique violation) is settled by re-reading its row.
   */
  async storeMade(made: DomesticVrpEntity): Promise<DomesticVrpEntity> {
    const existing = await this.findMade(made);
    if (existing) return existing;
    try {
      return await this.rows.save(made);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.findMade(made);
      if (!raced) throw error;
      return raced;
    }
  }

  private findMade(made: DomesticVrpEntity): Promise<DomesticVrpEntity | null> {
    return this.rows.findOne({
      where: { domesticVrpConsentId: made.domesticVrpConsentId, externalApiId: made.externalApiId },
    });
  }
}
