import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import type { OpenAiErrorBody } from './openai-error';

/** The OpenAI Images surface's shapes, as OpenAI names them (snake_case). */

export class OpenAiImageView {
  @ApiPropertyOptional({ description: 'response_format "url": a signed, absolute link that works without credentials until it expires' }) url?: string;
  @ApiPropertyOptional({ description: 'response_format "b64_json": the image bytes, base64' }) b64_json?: string;
  @ApiPropertyOptional({ description: 'The prompt the job ran with' }) revised_prompt?: string;
}

export class OpenAiImagesView {
  @ApiProperty({ type: 'integer', description: 'Unix seconds: when the job was accepted' }) created!: number;
  @ApiProperty({ type: [OpenAiImageView] }) data!: OpenAiImageView[];
}

export class OpenAiModelView {
  @ApiProperty({ example: 'tiny-sd' }) id!: string;
  @ApiProperty({ enum: ['model'] }) object!: 'model';
  @ApiProperty({ type: 'integer', description: 'Unix seconds: when this server read its model manifests' }) created!: number;
  @ApiProperty({ example: 'atelier' }) owned_by!: string;
}

export class OpenAiModelList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [OpenAiModelView] }) data!: OpenAiModelView[];
}

const ATELIER_FIELDS = 'Atelier\'s own, optional: negative_prompt, seed, steps, guidance';

/** The JSON body of POST /openai/v1/images/generations (documentation only: fields not listed are ignored). */
export class OpenAiImageGenerationBody {
  @ApiProperty({ minLength: 1, example: 'a lighthouse at dusk, oil painting' }) prompt!: string;
  @ApiPropertyOptional({ description: 'An Atelier txt2img model id (GET /openai/v1/models); an OpenAI name (dall-e-2, dall-e-3, gpt-image-1…) means the default model' })
  model?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Images: the job\'s batch' }) n?: number;
  @ApiPropertyOptional({ example: '512x512', description: '"WIDTHxHEIGHT", each side a multiple of 8 within the txt2img bounds, or "auto" (the default size)' })
  size?: string;
  @ApiPropertyOptional({ enum: ['url', 'b64_json'], description: 'Default url; b64_json for gpt-image-* model names' }) response_format?: 'url' | 'b64_json';
  @ApiPropertyOptional({ enum: ['png', 'jpeg', 'webp'], description: 'Default png' }) output_format?: string;
  @ApiPropertyOptional({ description: `${ATELIER_FIELDS}; quality, style, user, background and any other field are accepted and ignored` })
  negative_prompt?: string;
  @ApiPropertyOptional({ type: 'integer' }) seed?: number;
  @ApiPropertyOptional({ type: 'integer' }) steps?: number;
  @ApiPropertyOptional() guidance?: number;
}

const formText = (description: string) => ({ type: 'string', description });

/** The multipart body of POST /openai/v1/images/edits. */
export const IMAGE_EDIT_FORM = {
  type: 'object',
  required: ['prompt'],
  properties: {
    image: { type: 'string', format: 'binary', description: 'PNG, JPEG or WebP; one image, also accepted as image[]' },
    'image[]': { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: 1 },
    mask: { type: 'string', format: 'binary', description: 'Answered 400 MASK_NOT_SUPPORTED until img2img takes maskImageId' },
    prompt: formText('What to make of the image'),
    model: formText('An Atelier img2img model id, or an OpenAI name (the default model)'),
    n: formText('Integer: images to make'),
    size: formText('"WIDTHxHEIGHT" or "auto" (the image\'s own size when the job accepts it, else the default)'),
    response_format: { type: 'string', enum: ['url', 'b64_json'] },
    output_format: { type: 'string', enum: ['png', 'jpeg', 'webp'] },
    strength: formText('Atelier\'s own, 0–1: how far from the image (default 0.75)'),
    negative_prompt: formText(ATELIER_FIELDS),
  },
};

class OpenAiErrorDetail {
  @ApiProperty() message!: string;
  @ApiProperty({ example: 'invalid_request_error', description: 'invalid_request_error, authentication_error, permission_error, insufficient_quota, rate_limit_error, server_error' })
  type!: string;
  @ApiProperty({ type: String, nullable: true, example: 'size', description: 'The request parameter at fault' }) param!: string | null;
  @ApiProperty({ example: 'INVALID_SIZE', description: 'Atelier\'s stable error code' }) code!: string;
}

@ApiSchema({ name: 'OpenAiErrorResponse', description: 'Every 4xx/5xx answer of the OpenAI surface, in OpenAI\'s shape' })
export class OpenAiErrorResponse implements OpenAiErrorBody {
  @ApiProperty({ type: OpenAiErrorDetail }) error!: OpenAiErrorDetail;
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/** Documents error answers in OpenAI's shape: [status, what it means on this route]. */
export const ApiOpenAiErrors = (...errors: Array<[number, string]>) =>
  applyDecorators(
    ...errors.map(([status, description]) => ApiResponse({ status, description, type: OpenAiErrorResponse, ...(status === 429 ? { headers: RETRY_AFTER } : {}) })),
  );
