import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
} from '@nestjs/common';
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
  CreateSoftwareStatementDto,
  SoftwareStatementResponseDto,
  UpdateSoftwareStatementDto,
} from './dto/software-statement.dto';
import { SoftwareStatementService } from './software-statement.service';

@ApiTags('Management: software statements')
@ApiBearerAuth()
@Controller({ path: 'manage/software-statements', version: '1' })
export class SoftwareStatementsController {
  constructor(private readonly statements: SoftwareStatementService) {}

  @Post()
  @ApiOperation({
    summary:
      'Add a software statement; without softwareStatementAssertion the SSA is fetched from the directory.',
  })
  @ApiCreatedResponse({ type: SoftwareStatementResponseDto })
  async create(
    @Body() body: CreateSoftwareStatementDto,
    @Caller() caller: CallerIdentity,
  ): Promise<SoftwareStatementResponseDto> {
    const ssaRef = body.softwareStatementAssertion;
    const row = await this.statements.create({
      organisationId: body.organisationId,
      softwareId: body.softwareId,
      sandboxEnvironment: body.sandboxEnvironment,
      obwacCertificateId: body.obwacCertificateId,
      obsealCertificateId: body.obsealCertificateId,
      defaultRedirectUri: body.defaultRedirectUri,
      redirectUris: body.redirectUris ?? null,
      softwareStatementAssertion: ssaRef ? { source: ssaRef.source, name: ssaRef.name } : null,
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return SoftwareStatementResponseDto.from(row);
  }

  @Get()
  @ApiOkResponse({
    type: [SoftwareStatementResponseDto],
    description: 'Every software statement not deleted, oldest first.',
  })
  async list(): Promise<SoftwareStatementResponseDto[]> {
    return (await this.statements.list()).map((row) => SoftwareStatementResponseDto.from(row));
  }

  @Get(':id')
  @ApiOkResponse({ type: SoftwareStatementResponseDto })
  async get(@Param('id') id: string): Promise<SoftwareStatementResponseDto> {
    return SoftwareStatementResponseDto.from(await this.statements.get(id));
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Change the certificates or redirect URIs (existing bank registrations keep theirs).',
  })
  @ApiOkResponse({ type: SoftwareStatementResponseDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateSoftwareStatementDto,
  ): Promise<SoftwareStatementResponseDto> {
    const row = await this.statements.update(id, {
      obwacCertificateId: body.obwacCertificateId,
      obsealCertificateId: body.obsealCertificateId,
      defaultRedirectUri: body.defaultRedirectUri,
      redirectUris: body.redirectUris,
    });
    return SoftwareStatementResponseDto.from(row);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted (soft delete).' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.statements.remove(id);
  }
}
