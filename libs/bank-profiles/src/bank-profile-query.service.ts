import { Inject, Injectable } from '@nestjs/common';
import { BankProfileNotFoundError } from './bank-profile.errors';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from './bank-profile.registry';
import { BankProfileResponseDto } from './dto/bank-profile-response.dto';

/** Read side of /v1/manage/bank-profiles. */
@Injectable()
export class BankProfileQueryService {
  constructor(@Inject(BANK_PROFILE_REGISTRY) private readonly registry: BankProfileRegistry) {}

  list(): BankProfileResponseDto[] {
    return this.registry.list().map((p) => BankProfileResponseDto.from(p));
  }

  /** 404 here (not the registry's 400): the id is a path segment naming the resource itself. */
  getById(id: string): BankProfileResponseDto {
    if (!this.registry.has(id))
      throw new BankProfileNotFoundError(
        id,
        this.registry.list().map((p) => p.id),
      );
    return BankProfileResponseDto.from(this.registry.get(id));
  }
}
