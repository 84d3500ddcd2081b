import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { BankProfileQueryService } from './bank-profile-query.service';
import { BankProfileResponseDto } from './dto/bank-profile-response.dto';

@ApiTags('Bank profiles')
@Controller({ path: 'manage/bank-profiles', version: '1' })
export class BankProfilesController {
  constructor(private readonly profiles: BankProfileQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'List the loaded bank profiles',
    description:
      'Built-in profiles, those of BANK_PROFILES_EXTRA_DIR, with configuration overrides applied.',
  })
  @ApiOkResponse({ type: BankProfileResponseDto, isArray: true })
  list(): BankProfileResponseDto[] {
    return this.profiles.list();
  }

  @Get(':profileId')
  @ApiOperation({
    summary: 'Get one bank profile',
    description: 'Unknown id: 404 bank-profile/not-found listing the known ids.',
  })
  @ApiParam({ name: 'profileId', description: 'Profile id, e.g. obie-model-bank-sandbox.' })
  @ApiOkResponse({ type: BankProfileResponseDto })
  get(@Param('profileId') profileId: string): BankProfileResponseDto {
    return this.profiles.getById(profileId);
  }
}
