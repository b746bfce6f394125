import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CasesService, PublicCaseView, TopicCatalog } from '@gopy/cases';
import { UnitsService } from '@gopy/directory';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { translate } from '@gopy/i18n';
import type { Language, MessageKey } from '@gopy/i18n';
import { CreateFollowUpDto, CreateSubmissionDto, IntakeService, SubmissionReceiptDto, requestHash } from '@gopy/intake';
import { Lang } from '../http/language';
import { Public } from '../http/public.decorator';
import { RateLimit } from '../http/rate-limit';
import { ErrorResponseDto, FollowUpReceiptDto, PublicCaseDto, TopicDto, UnitDto } from './dto/public-case.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The public JSON API: submit an opinion, follow a case, list topics and units. */
@ApiTags('public')
@Public()
@Controller('api/v1')
export class SubmissionsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly cases: CasesService,
    private readonly topics: TopicCatalog,
    private readonly units: UnitsService,
  ) {}

  @Post('submissions')
  @RateLimit('submit')
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit an opinion; returns its tracking code' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the first response again. Same key, other body: 422. In flight: 409.',
  })
  @ApiBody({ type: CreateSubmissionDto })
  @ApiCreatedResponse({ type: SubmissionReceiptDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'Field -> message map' })
  @ApiConflictResponse({ type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async create(
    // Validated by IntakeService.validate (DTO and policy in one round), not the global pipe.
    @Body() body: Record<string, unknown>,
    @Headers('idempotency-key') key: string | undefined,
    @Lang() lang: Language,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubmissionReceiptDto> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new FieldValidationError({ idempotencyKey: { code: 'invalid_value' } });
    }
    const { dto, files, checked } = await this.intake.validate(body);
    const result = await this.intake.submit({
      channel: 'api',
      language: lang,
      dto,
      files,
      checked,
      idempotency: key ? { key: `api:${key}`, requestHash: requestHash(dto) } : undefined,
    });
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return result.receipt;
  }

  @Get('cases/:trackingCode')
  @RateLimit('track')
  @ApiOperation({ summary: 'The public view of a case, as on the tracking page' })
  @ApiOkResponse({ type: PublicCaseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown and mistyped codes alike' })
  async show(@Param('trackingCode') trackingCode: string, @Lang() lang: Language): Promise<PublicCaseDto> {
    const view = await this.cases.publicView(trackingCode);
    if (!view) throw new GopyError('case_not_found');
    return this.toDto(view, lang);
  }

  @Post('cases/:trackingCode/follow-ups')
  @RateLimit('submit')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a message to a case' })
  @ApiCreatedResponse({ type: FollowUpReceiptDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The case no longer accepts follow-ups' })
  async followUp(
    @Param('trackingCode') trackingCode: string,
    @Body() dto: CreateFollowUpDto,
    @Lang() lang: Language,
  ): Promise<FollowUpReceiptDto> {
    return this.intake.followUp(trackingCode, dto, lang);
  }

  @Get('topics')
  @ApiOkResponse({ type: [TopicDto] })
  listTopics(@Lang() lang: Language): TopicDto[] {
    return this.topics.topics.map((t) => ({ code: t.code, name: t.name[lang], hint: t.hint[lang] }));
  }

  @Get('units')
  @ApiOkResponse({ type: [UnitDto] })
  async listUnits(): Promise<UnitDto[]> {
    return (await this.units.activeUnits()).map(({ code, name }) => ({ code, name }));
  }

  private toDto(view: PublicCaseView, lang: Language): PublicCaseDto {
    return {
      trackingCode: view.trackingCode,
      status: view.status,
      statusLabel: translate(lang, `status.${view.status}` as MessageKey),
      topic: view.topic,
      topicName: this.topics.name(view.topic, lang),
      subject: view.subject,
      receivedAt: view.receivedAt.toISOString(),
      lastActivityAt: view.lastActivityAt.toISOString(),
      acceptsFollowUp: view.acceptsFollowUp,
      timeline: view.timeline.map((e) => ({ type: e.type, at: e.at.toISOString() })),
      answers: view.answers.map((a) => ({ body: a.body, at: a.at.toISOString() })),
    };
  }
}
