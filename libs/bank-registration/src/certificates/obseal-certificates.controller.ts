import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, CallerIdentity } from '@obc/common';
import {
  CreateObsealCertificateDto,
  ObsealCertificateResponseDto,
} from './dto/obseal-certificate.dto';
import { ObsealCertificateService } from './obseal-certificate.service';

@ApiTags('Management: certificates')
@ApiBearerAuth()
@Controller({ path: 'manage/obseal-certificates', version: '1' })
export class ObsealCertificatesController {
  constructor(private readonly certificates: ObsealCertificateService) {}

  @Post()
  @ApiOperation({
    summary:
      'Add an OBSeal signing key (and optionally its certificate); the key is referenced, never stored.',
  })
  @ApiCreatedResponse({ type: ObsealCertificateResponseDto })
  async create(
    @Body() body: CreateObsealCertificateDto,
    @Caller() caller: CallerIdentity,
  ): Promise<ObsealCertificateResponseDto> {
    const row = await this.certificates.register({
      keyId: body.keyId,
      privateKey: { source: body.privateKey.source, name: body.privateKey.name },
      certificatePem: body.certificatePem ?? null,
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return ObsealCertificateResponseDto.from(row);
  }

  @Get(':id')
  @ApiOkResponse({ type: ObsealCertificateResponseDto })
  async get(@Param('id') id: string): Promise<ObsealCertificateResponseDto> {
    return ObsealCertificateResponseDto.from(await this.certificates.get(id));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted (soft delete).' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.certificates.remove(id);
  }
}
