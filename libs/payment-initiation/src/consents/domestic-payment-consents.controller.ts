import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
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
import { DomesticPaymentConsentService } from './domestic-payment-consent.service';
import { consentView } from './domestic-payment-consent.types';
import {
  CreateDomesticPaymentConsentDto,
  CreatePaymentAuthContextDto,
  DomesticPaymentConsentResponseDto,
  FundsConfirmationResponseDto,
  PaymentAuthContextResponseDto,
} from './dto/domestic-payment-consent.dto';

export const IDEMPOTENCY_HEADER_DOC = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Same key and body: the stored first result, no second bank call; other body: 422. Generated when absent; returned in the Idempotency-Key response header.',
};

@ApiTags('PISP: domestic payment consents')
@ApiBearerAuth()
@Controller({ path: 'pisp/domestic-payment-consents', version: '1' })
export class DomesticPaymentConsentsController {
  constructor(private readonly consents: DomesticPaymentConsentService) {}

  @Post()
  @ApiOperation({ summary: 'Create a domestic payment consent at the bank (signed, idempotent).' })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: DomesticPaymentConsentResponseDto })
  async create(
    @Body() body: CreateDomesticPaymentConsentDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticPaymentConsentResponseDto> {
    const outcome = await this.consents.create(
      {
        bankRegistrationId: body.bankRegistrationId,
        externalApiRequest: body.externalApiRequest,
        reference: body.reference ?? null,
        createdBy: body.createdBy ?? caller.apiKeyId,
      },
      caller.apiKeyId,
      idempotencyKey || undefined,
    );
    res.setHeader(IDEMPOTENCY_KEY_HEADER, outcome.idempotencyKey);
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return outcome.view;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A domestic payment consent, refreshed from the bank unless excluded.' })
  @ApiHeader({
    name: EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
    required: false,
    description: "`true`: do not call the bank, return the connector's record.",
  })
  @ApiOkResponse({ type: DomesticPaymentConsentResponseDto })
  async get(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticPaymentConsentResponseDto> {
    const outcome = await this.consents.get(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return consentView(outcome.row);
  }

  @Get(':id/funds-confirmation')
  @ApiOperation({ summary: "Ask the bank whether the authorised consent's funds are available." })
  @ApiOkResponse({ type: FundsConfirmationResponseDto })
  async fundsConfirmation(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const outcome = await this.consents.fundsConfirmation(id);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return outcome.body;
  }

  @Post(':id/auth-contexts')
  @ApiOperation({ summary: "Start the customer's authorisation of the consent at the bank." })
  @ApiCreatedResponse({ type: PaymentAuthContextResponseDto })
  async createAuthContext(
    @Param('id') id: string,
    @Body() body: CreatePaymentAuthContextDto,
    @Caller() caller: CallerIdentity,
  ): Promise<PaymentAuthContextResponseDto> {
    const context = await this.consents.createAuthContext(id, {
      redirectUri: body.redirectUri ?? null,
      appSessionId: body.appSessionId ?? null,
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return PaymentAuthContextResponseDto.from(context);
  }
}
