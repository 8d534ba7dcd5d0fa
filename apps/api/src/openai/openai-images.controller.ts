import { Body, Controller, Headers, HttpCode, Post, Req, UploadedFiles, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { ImagesService } from '@atelier/storage';
import { httpErrors } from '../http/http-errors';
import { OpenAiImageJobs } from './image-jobs';
import { editFields, editRequest, generationRequest, img2imgTakesMask } from './image-request';
import { openaiErrors } from './openai-errors';
import { OpenAiExceptionFilter } from './openai-exception.filter';
import { ApiOpenAiErrors, IMAGE_EDIT_FORM, OpenAiImageGenerationBody, OpenAiImagesView } from './openai.views';
import { StorageQuotas } from '../images/storage-quotas';

/** As many images as OpenAI takes per edit, so that more than one gets a clear 400 rather than multer's. */
const MAX_EDIT_IMAGES = 16;

type EditFiles = Partial<Record<'image' | 'image[]' | 'mask', Express.Multer.File[]>>;

const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'Passed to the job path: the same key and request answer the same job' };
const INVALID = '422: the job path refused the input (INVALID_JOB, UNKNOWN_MODEL, MODEL_WRONG_PIPELINE, PIXELS_OVER_PLAN, BATCH_OVER_PLAN, BLOCKED_WORDS, PROMPT_TOO_LONG)';
const JOB_ERRORS: Array<[number, string]> = [
  [402, 'INSUFFICIENT_CREDITS (type insufficient_quota)'],
  [409, 'IDEMPOTENCY_KEY_REUSED with another request; JOB_CANCELED: the job was canceled while it was awaited'],
  [422, INVALID],
  [429, 'RATE_LIMITED or CONCURRENCY_LIMIT; retry after Retry-After seconds'],
  [500, 'The job failed: code is the job\'s (JOB_FAILED, JOB_TIMEOUT, JOB_STALLED…); x-should-retry: false'],
  [503, 'A dependency is down, or the job failed with a code of that kind (MODEL_UNAVAILABLE, STORAGE_UNAVAILABLE)'],
  [504, 'JOB_WAIT_TIMEOUT: the job did not end within OPENAI_WAIT_SECONDS; it goes on (the message names it); x-should-retry: false'],
];

/**
 * OpenAI's Images API over the job path, for the `openai` SDKs and what is built on them. Each
 * request is one job, awaited; the answer is OpenAI's. Errors in OpenAI's shape (the filter).
 */
@ApiTags('OpenAI-compatible')
@Controller('openai/v1/images')
@UseFilters(OpenAiExceptionFilter)
@ApiOpenAiErrors([401, 'UNAUTHENTICATED: no or bad API key (type authentication_error)'], [403, 'MISSING_SCOPE: the API key needs jobs:write'])
export class OpenAiImagesController {
  constructor(
    private readonly imageJobs: OpenAiImageJobs,
    private readonly images: ImagesService,
    private readonly quotas: StorageQuotas,
  ) {}

  @Post('generations')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  @ApiBody({ type: OpenAiImageGenerationBody })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({ type: OpenAiImagesView, description: 'The job succeeded: one entry per image' })
  @ApiOpenAiErrors([400, 'VALIDATION_FAILED (param names the field), INVALID_SIZE, STREAMING_NOT_SUPPORTED, BAD_REQUEST'], [413, 'Body over 1 MB'], ...JOB_ERRORS)
  generate(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
  ): Promise<OpenAiImagesView> {
    return this.imageJobs.generate(principal.userId, generationRequest(body), idempotencyKey, request);
  }

  /** The image (and mask) become the caller's uploads, checked as on POST /v1/images; the same content again reuses them. */
  @Post('edits')
  @HttpCode(200)
  @Authenticated({ scope: 'jobs:write' })
  @UseInterceptors(FileFieldsInterceptor([{ name: 'image', maxCount: MAX_EDIT_IMAGES }, { name: 'image[]', maxCount: MAX_EDIT_IMAGES }, { name: 'mask', maxCount: 1 }]))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMAGE_EDIT_FORM })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({ type: OpenAiImagesView, description: 'The img2img job succeeded: one entry per image' })
  @ApiOpenAiErrors(
    [400, 'VALIDATION_FAILED, INVALID_SIZE, FILE_MISSING (no image), TOO_MANY_IMAGES, MASK_NOT_SUPPORTED, STREAMING_NOT_SUPPORTED'],
    [413, 'A file over UPLOAD_MAX_BYTES'],
    [415, 'UNSUPPORTED_IMAGE'],
    ...JOB_ERRORS.map(([status, text]): [number, string] => (status === 422 ? [422, `${text}; IMAGE_TOO_LARGE, IMAGE_UNDECODABLE`] : [status, text])),
  )
  async edit(
    @CurrentPrincipal() principal: Principal,
    @UploadedFiles() files: EditFiles | undefined,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
  ): Promise<OpenAiImagesView> {
    // Everything that can be refused without storing anything is, first.
    const fields = editFields(body);
    const sent = [...(files?.image ?? []), ...(files?.['image[]'] ?? [])].filter((file) => file.buffer?.length);
    if (!sent.length) throw httpErrors('FILE_MISSING', 'Send the image as multipart/form-data in the field "image"', { field: 'image' });
    if (sent.length > 1) throw openaiErrors('TOO_MANY_IMAGES', `This server edits one image per request, not ${sent.length}`, { field: 'image' });
    const mask = files?.mask?.[0];
    if (mask && !img2imgTakesMask()) {
      throw openaiErrors('MASK_NOT_SUPPORTED', 'This server does not support masks yet: send the edit without "mask" to transform the whole image', { field: 'mask' });
    }
    const quota = await this.quotas.of(principal.userId);
    const image = await this.images.uploadOrReuse(principal.userId, sent[0].buffer, quota);
    const maskImage = mask ? await this.images.uploadOrReuse(principal.userId, mask.buffer, quota) : undefined;
    return this.imageJobs.generate(principal.userId, editRequest(fields, image, maskImage?.id), idempotencyKey, request);
  }
}
