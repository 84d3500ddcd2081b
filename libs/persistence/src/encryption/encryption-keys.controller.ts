import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, type CallerIdentity } from '@obc/common';
import { CreateEncryptionKeyRequestDto, EncryptionKeyResponseDto } from './encryption-key.dto';
import { EncryptionKeyService } from './encryption-key.service';

@ApiTags('Manage: encryption keys')
@Controller({ path: 'manage/encryption-keys', version: '1' })
export class EncryptionKeysController {
  constructor(private readonly service: EncryptionKeyService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register an encryption key by reference, optionally making it current',
  })
  @ApiCreatedResponse({ type: EncryptionKeyResponseDto })
  create(
    @Body() body: CreateEncryptionKeyRequestDto,
    @Caller() caller: CallerIdentity,
  ): Promise<EncryptionKeyResponseDto> {
    return this.service.register({
      key: { source: body.key.source, name: body.key.name },
      setAsCurrent: body.setAsCurrent,
      reference: body.reference,
      createdBy: caller.apiKeyId,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List encryption keys' })
  @ApiOkResponse({ type: EncryptionKeyResponseDto, isArray: true })
  list(): Promise<EncryptionKeyResponseDto[]> {
    return this.service.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an encryption key' })
  @ApiOkResponse({ type: EncryptionKeyResponseDto })
  get(@Param('id') id: string): Promise<EncryptionKeyResponseDto> {
    return this.service.get(id);
  }
}
