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
  CreateObwacCertificateDto,
  ObwacCertificateResponseDto,
} from './dto/obwac-certificate.dto';
import { ObwacCertificateService } from './obwac-certificate.service';

@ApiTags('Management: certificates')
@ApiBearerAuth()
@Controller({ path: 'manage/obwac-certificates', version: '1' })
export class ObwacCertificatesController {
  constructor(private readonly certificates: ObwacCertificateService) {}

  @Post()
  @ApiOperation({
    summary:
      'Add an OBWAC (transport) certificate; its private key is referenced and checked to match.',
  })
  @ApiCreatedResponse({ type: ObwacCertificateResponseDto })
  async create(
    @Body() body: CreateObwacCertificateDto,
    @Caller() caller: CallerIdentity,
  ): Promise<ObwacCertificateResponseDto> {
    const row = await this.certificates.register({
      certificatePem: body.certificatePem,
      privateKey: { source: body.privateKey.source, name: body.privateKey.name },
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return ObwacCertificateResponseDto.from(row);
  }

  @Get(':id')
  @ApiOkResponse({ type: ObwacCertificateResponseDto })
  async get(@Param('id') id: string): Promise<ObwacCertificateResponseDto> {
    return ObwacCertificateResponseDto.from(await this.certificates.get(id));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted (soft delete).' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.certificates.remove(id);
  }
}
