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
import { IDEMPOTENCY_HEADER_DOC } from '../consents/domestic-payment-consents.controller';
import { DomesticPaymentService } from './domestic-payment.service';
import { paymentView } from './domestic-payment.types';
import {
  CreateDomesticPaymentDto,
  DomesticPaymentResponseDto,
  PaymentDetailsResponseDto,
} from './dto/domestic-payment.dto';

@ApiTags('PISP: domestic payments')
@ApiBearerAuth()
@Controller({ path: 'pisp/domestic-payments', version: '1' })
export class DomesticPaymentsController {
  constructor(private readonly payments: DomesticPaymentService) {}

  @Post()
  @ApiOperation({ summary: 'Make the payment of an authorised consent (signed, idempotent).' })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: DomesticPaymentResponseDto })
  async create(
    @Body() body: CreateDomesticPaymentDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticPaymentResponseDto> {
    const outcome = await this.payments.create(
      {
        domesticPaymentConsentId: body.domesticPaymentConsentId,
        externalApiRequest: body.externalApiRequest ?? null,
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
  @ApiOperation({ summary: 'A domestic payment, refreshed from the bank unless excluded.' })
  @ApiHeader({
    name: EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
    required: false,
    description: "`true`: do not call the bank, return the connector's record.",
  })
  @ApiOkResponse({ type: DomesticPaymentResponseDto })
  async get(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticPaymentResponseDto> {
    const outcome = await this.payments.get(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return paymentView(outcome.row);
  }

  @Get(':id/payment-details')
  @ApiOperation({ summary: "The bank's payment details (status history) of a payment." })
  @ApiOkResponse({ type: PaymentDetailsResponseDto })
  async paymentDetails(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const outcome = await this.payments.paymentDetails(id);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return outcome.body;
  }
}
