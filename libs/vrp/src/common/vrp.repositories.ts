import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
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
}
