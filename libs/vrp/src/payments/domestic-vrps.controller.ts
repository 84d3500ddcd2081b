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
  FAPI_INTERACTION_ID_HEADER,
  IDEMPOTENCY_KEY_HEADER,
} from '@obc/common';
import { IDEMPOTENCY_HEADER_DOC } from '../consents/domestic-vrp-consents.controller';
import { DomesticVrpService } from './domestic-vrp.service';
import {
  CreateDomesticVrpDto,
  DomesticVrpPaymentDetailsResponseDto,
  DomesticVrpResponseDto,
} from './dto/domestic-vrp.dto';

@ApiTags('VRP: domestic VRPs')
@ApiBearerAuth()
@Controller({ path: 'vrp/domestic-vrps', version: '1' })
export class DomesticVrpsController {
  constructor(private readonly payments: DomesticVrpService) {}

  @Post()
  @ApiOperation({
    summary: 'Make a payment under an authorised VRP consent (the bank enforces its limits).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: DomesticVrpResponseDto })
  async create(
    @Body() body: CreateDomesticVrpDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticVrpResponseDto> {
    const outcome = await this.payments.create(
      {
        domesticVrpConsentId: body.domesticVrpConsentId,
        externalApiRequest: body.externalApiRequest,
        reference: body.reference ?? null,
      },
      { callerId: caller.apiKeyId, idempotencyKey: idempotencyKey || undefined },
    );
    res.setHeader(IDEMPOTENCY_KEY_HEADER, outcome.idempotencyKey);
    return outcome.body;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A domestic VRP, refreshed from the bank.' })
  @ApiOkResponse({ type: DomesticVrpResponseDto })
  async get(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticVrpResponseDto> {
    const outcome = await this.payments.get(id);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return DomesticVrpResponseDto.from(outcome.row);
  }

  @Get(':id/payment-details')
  @ApiOperation({ summary: "The bank's payment details of a domestic VRP." })
  @ApiOkResponse({ type: DomesticVrpPaymentDetailsResponseDto })
  async paymentDetails(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticVrpPaymentDetailsResponseDto> {
    const outcome = await this.payments.paymentDetails(id);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return { externalApiResponse: outcome.body };
  }
}
