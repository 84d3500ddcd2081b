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
import { AccountAccessConsentService } from './account-access-consent.service';
import { idempotencyKeyOf } from './idempotency-key';
import {
  AccountAccessConsentResponseDto,
  AuthContextResponseDto,
  CreateAccountAccessConsentDto,
  CreateAuthContextDto,
} from './dto/account-access-consent.dto';

const EXCLUDE_HEADER_DOC = {
  name: EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
  required: false,
  description: "`true`: do not call the bank, act on the connector's record only.",
};

@ApiTags('AISP: account-access consents')
@ApiBearerAuth()
@Controller({ path: 'aisp/account-access-consents', version: '1' })
export class AccountAccessConsentsController {
  constructor(private readonly consents: AccountAccessConsentService) {}

  @Post()
  @ApiOperation({ summary: 'Create an account-access consent at the bank (template or request).' })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Same key and body: the stored first result, no second bank call. Same key, other body: 422.',
  })
  @ApiCreatedResponse({ type: AccountAccessConsentResponseDto })
  async create(
    @Body() body: CreateAccountAccessConsentDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountAccessConsentResponseDto> {
    const outcome = await this.consents.create(
      {
        bankRegistrationId: body.bankRegistrationId,
        templateRequest: body.templateRequest ? { type: body.templateRequest.type } : null,
        externalApiRequest: body.externalApiRequest
          ? {
              Data: {
                Permissions: body.externalApiRequest.Data.Permissions,
                ExpirationDateTime: body.externalApiRequest.Data.ExpirationDateTime,
                TransactionFromDateTime: body.externalApiRequest.Data.TransactionFromDateTime,
                TransactionToDateTime: body.externalApiRequest.Data.TransactionToDateTime,
              },
              Risk: body.externalApiRequest.Risk,
            }
          : null,
        externalApiUserId: body.externalApiUserId ?? null,
        reference: body.reference ?? null,
        createdBy: body.createdBy ?? caller.apiKeyId,
      },
      idempotencyKeyOf(idempotencyKey),
    );
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return AccountAccessConsentResponseDto.from(outcome.row);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account-access consent, refreshed from the bank unless excluded.' })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiOkResponse({ type: AccountAccessConsentResponseDto })
  async get(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountAccessConsentResponseDto> {
    const outcome = await this.consents.get(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return AccountAccessConsentResponseDto.from(outcome.row);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a consent at the bank (unless excluded) and its tokens.' })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiNoContentResponse({ description: 'Deleted (soft delete in the connector).' })
  async delete(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const outcome = await this.consents.remove(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
  }

  @Post(':id/auth-contexts')
  @ApiOperation({ summary: "Start the customer's authorisation of the consent at the bank." })
  @ApiCreatedResponse({ type: AuthContextResponseDto })
  async createAuthContext(
    @Param('id') id: string,
    @Body() body: CreateAuthContextDto,
    @Caller() caller: CallerIdentity,
  ): Promise<AuthContextResponseDto> {
    const context = await this.consents.createAuthContext(id, {
      redirectUri: body.redirectUri ?? null,
      appSessionId: body.appSessionId ?? null,
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return AuthContextResponseDto.from(context);
  }
}
