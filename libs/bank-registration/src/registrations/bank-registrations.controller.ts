import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Caller,
  CallerIdentity,
  EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
  FAPI_INTERACTION_ID_HEADER,
  IDEMPOTENCY_KEY_HEADER,
} from '@obc/common';
import { BankRegistrationService } from './bank-registration.service';
import {
  BankRegistrationResponseDto,
  CreateBankRegistrationDto,
} from './dto/bank-registration.dto';
import { RegistrationManagementService } from './registration-management.service';
import { idempotencyKeyOf, secretRefOf } from './registration-headers';

const EXCLUDE_HEADER_DOC = {
  name: EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
  required: false,
  description: "`true`: do not call the bank, act on the connector's record only.",
};

@ApiTags('Management: bank registrations')
@ApiBearerAuth()
@Controller({ path: 'manage/bank-registrations', version: '1' })
export class BankRegistrationsController {
  constructor(
    private readonly registrations: BankRegistrationService,
    private readonly management: RegistrationManagementService,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Register with a bank by DCR per its profile, or import an existing client (externalApiId).',
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Same key and body: the stored first result, no second bank call. Same key, other body: 422.',
  })
  @ApiCreatedResponse({ type: BankRegistrationResponseDto })
  async create(
    @Body() body: CreateBankRegistrationDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BankRegistrationResponseDto> {
    const outcome = await this.registrations.create(
      {
        bankProfile: body.bankProfile,
        softwareStatementId: body.softwareStatementId,
        scopes: body.scopes ?? null,
        redirectUris: body.redirectUris ?? null,
        defaultRedirectUri: body.defaultRedirectUri ?? null,
        externalApiId: body.externalApiId ?? null,
        externalApiSecret: secretRefOf(body.externalApiSecret),
        registrationAccessToken: secretRefOf(body.registrationAccessToken),
        reference: body.reference ?? null,
        createdBy: body.createdBy ?? caller.apiKeyId,
      },
      idempotencyKeyOf(idempotencyKey),
    );
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return BankRegistrationResponseDto.from(outcome.row);
  }

  @Get()
  @ApiOkResponse({
    type: [BankRegistrationResponseDto],
    description:
      "Every bank registration not deleted, oldest first (from the connector's records).",
  })
  async list(): Promise<BankRegistrationResponseDto[]> {
    return (await this.registrations.list()).map((row) => BankRegistrationResponseDto.from(row));
  }

  @Get(':id')
  @ApiOperation({
    summary:
      "A bank registration, refreshed from the bank's GET /register where the profile supports it.",
  })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiOkResponse({ type: BankRegistrationResponseDto })
  async get(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BankRegistrationResponseDto> {
    const outcome = await this.management.read(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return BankRegistrationResponseDto.from(outcome.row);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a bank registration, and the client at the bank where the profile supports it.',
  })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiNoContentResponse({ description: 'Deleted (soft delete in the connector).' })
  async delete(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const outcome = await this.management.remove(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
  }
}
