import { z } from 'zod';
import { fieldIssues, inputJsonSchema, JOB_TYPE_BY_NAME } from '@atelier/jobs';
import { platformErrors } from '@atelier/platform';
import type { ImageFormat } from '@atelier/storage';
import { httpErrors } from '../http/http-errors';
import { openaiErrors } from './openai-errors';

/**
 * OpenAI Images requests → Atelier job bodies. Only the shape is checked here (types, `size`);
 * ranges, the model, plan limits and credits are the job path's, so they answer as on POST /v1/jobs.
 */

export type ResponseFormat = 'url' | 'b64_json';

/** OpenAI's own model names: each means this server's default model for the job type. */
const OPENAI_MODEL = /^(dall-e-\d|gpt-image-[\w.-]+|chatgpt-image-[\w.-]+)$/i;
/** gpt-image models always answer base64, so their clients read `b64_json` without asking for it. */
const BASE64_MODEL = /^(gpt-image-|chatgpt-image-)/i;

// Multipart fields arrive as text: numbers and flags are read from it, JSON keeps its types.
const fromText = (pattern: RegExp, parse: (text: string) => unknown) => (value: unknown) =>
  typeof value === 'string' && pattern.test(value.trim()) ? parse(value.trim()) : value;
const integer = z.preprocess(fromText(/^-?\d+$/, Number), z.int());
const number = z.preprocess(fromText(/^-?\d+(\.\d+)?$/, Number), z.number());
const flag = z.preprocess(fromText(/^(true|false)$/, (text) => text === 'true'), z.boolean());

/** What both routes read; every other field (quality, style, user, background…) is ignored, as OpenAI clients send many. */
const imageRequestFields = {
  prompt: z.string().trim().min(1),
  model: z.string().nullish(),
  n: integer.nullish(),
  size: z.string().nullish(),
  response_format: z.enum(['url', 'b64_json']).nullish(),
  output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
  stream: flag.nullish(),
  // Atelier's own, for callers that pass extra body fields.
  negative_prompt: z.string().nullish(),
  seed: integer.nullish(),
  steps: integer.nullish(),
  guidance: number.nullish(),
};
const generationSchema = z.looseObject(imageRequestFields);
const editSchema = z.looseObject({ ...imageRequestFields, strength: number.nullish() });

type GenerationFields = z.output<typeof generationSchema>;
type EditFields = z.output<typeof editSchema>;

/** A checked request: the job to submit and how to answer. */
export interface ImageJobRequest {
  job: { type: 'txt2img' | 'img2img'; model?: string; input: Record<string, unknown> };
  responseFormat: ResponseFormat;
  /** Converted from the stored PNG when asked for. */
  outputFormat?: ImageFormat;
}

export interface SideBounds {
  min: number;
  max: number;
  multipleOf: number;
}

/** The width/height bounds of a job type, from its input schema, so they cannot drift from what the job path accepts. */
export function sideBounds(type: 'txt2img' | 'img2img'): SideBounds {
  const properties = (inputJsonSchema(JOB_TYPE_BY_NAME[type]).properties ?? {}) as Record<string, { minimum?: number; maximum?: number; multipleOf?: number }>;
  const { minimum = 1, maximum = Number.MAX_SAFE_INTEGER, multipleOf = 1 } = properties.width ?? {};
  return { min: minimum, max: maximum, multipleOf };
}

const fits = (side: number, bounds: SideBounds) => side >= bounds.min && side <= bounds.max && side % bounds.multipleOf === 0;

/** "WxH" → width and height; absent or "auto" → undefined (the caller's default). */
export function parseSize(size: string | null | undefined, bounds: SideBounds): { width: number; height: number } | undefined {
  if (size === undefined || size === null || size === 'auto') return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size.trim());
  const rule = `each side a multiple of ${bounds.multipleOf} from ${bounds.min} to ${bounds.max}`;
  if (!match) throw openaiErrors('INVALID_SIZE', `size must be "WIDTHxHEIGHT" (${rule}, e.g. "512x512") or "auto"`, { field: 'size' });
  const [width, height] = [Number(match[1]), Number(match[2])];
  if (!fits(width, bounds) || !fits(height, bounds)) throw openaiErrors('INVALID_SIZE', `size ${width}x${height} is not supported: ${rule}`, { field: 'size' });
  return { width, height };
}

/** An Atelier model id is passed on; no model, or an OpenAI name, gets the default (undefined). */
export const atelierModel = (model: string | null | undefined): string | undefined => (model && !OPENAI_MODEL.test(model) ? model : undefined);

/** The img2img input schema has `maskImageId` once inpainting is served; until then masks are refused. */
export const img2imgTakesMask = (): boolean => 'maskImageId' in ((inputJsonSchema(JOB_TYPE_BY_NAME.img2img).properties ?? {}) as object);

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw platformErrors('BAD_REQUEST', 'The body must be a JSON object (a multipart form for edits)');
  }
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (!result.success) {
    const fields = fieldIssues(result.error);
    throw httpErrors('VALIDATION_FAILED', fields.map((f) => f.message).join('; '), { field: fields[0]?.path || undefined, fields });
  }
  if ((result.data as { stream?: boolean | null }).stream) {
    throw openaiErrors('STREAMING_NOT_SUPPORTED', 'This server does not stream partial images: send the request without "stream"', { field: 'stream' });
  }
  return result.data;
}

/** The fields txt2img and img2img share, named as the job input names them. */
function generationInput(fields: GenerationFields | EditFields, size: { width: number; height: number } | undefined): Record<string, unknown> {
  const optional = { batch: fields.n, negativePrompt: fields.negative_prompt, seed: fields.seed, steps: fields.steps, guidance: fields.guidance };
  const present = Object.entries(optional).filter(([, value]) => value !== undefined && value !== null);
  return { prompt: fields.prompt, ...size, ...Object.fromEntries(present) };
}

function answerOf(fields: GenerationFields | EditFields): Pick<ImageJobRequest, 'responseFormat' | 'outputFormat'> {
  const responseFormat = fields.response_format ?? (fields.model && BASE64_MODEL.test(fields.model) ? 'b64_json' : 'url');
  return { responseFormat, ...(fields.output_format ? { outputFormat: fields.output_format } : {}) };
}

const withModel = (model: string | null | undefined) => {
  const id = atelierModel(model);
  return id ? { model: id } : {};
};

/** POST /openai/v1/images/generations → a txt2img job. */
export function generationRequest(body: unknown): ImageJobRequest {
  const fields = parse(generationSchema, body);
  const size = parseSize(fields.size, sideBounds('txt2img'));
  return { job: { type: 'txt2img', ...withModel(fields.model), input: generationInput(fields, size) }, ...answerOf(fields) };
}

/** The fields of POST /openai/v1/images/edits, checked before anything is uploaded. */
export const editFields = (body: unknown): EditFields => {
  const fields = parse(editSchema, body);
  parseSize(fields.size, sideBounds('img2img'));
  return fields;
};

/**
 * The edit as an img2img job on the uploaded image (and mask). Without a size (or "auto") the
 * output keeps the image's size when the job accepts it, else the job's default.
 */
export function editRequest(fields: EditFields, image: { id: string; width: number; height: number }, maskImageId?: string): ImageJobRequest {
  const bounds = sideBounds('img2img');
  const ownSize = fits(image.width, bounds) && fits(image.height, bounds) ? { width: image.width, height: image.height } : undefined;
  const size = parseSize(fields.size, bounds) ?? ownSize;
  const input = {
    ...generationInput(fields, size),
    imageId: image.id,
    ...(fields.strength !== undefined && fields.strength !== null ? { strength: fields.strength } : {}),
    ...(maskImageId ? { maskImageId } : {}),
  };
  return { job: { type: 'img2img', ...withModel(fields.model), input }, ...answerOf(fields) };
}
