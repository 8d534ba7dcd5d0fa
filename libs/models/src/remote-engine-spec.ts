import { z } from 'zod';

/** The job fields a remote graph can take, each bound to one or more node inputs (`"<node id>.inputs.<name>"`). */
export const BINDABLE_FIELDS = ['prompt', 'negativePrompt', 'seed', 'steps', 'guidance', 'width', 'height', 'batch', 'image', 'strength'] as const;
export type BindableField = (typeof BINDABLE_FIELDS)[number];

const INPUT_TARGET = /^[^.\s]+\.inputs\.[^.\s]+$/;
const inputTarget = z.string().regex(INPUT_TARGET, 'must look like "<node id>.inputs.<input name>"');

/** An http(s) URL without credentials: secrets come from the environment, never from a manifest. */
const upstreamUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((url) => !new URL(url).username && !new URL(url).password, 'must not carry credentials (use "auth" and an environment variable)')
  .transform((url) => url.replace(/\/+$/, ''));

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A header sent on every upstream request whose value is read from an environment variable when the worker calls. */
const authSchema = z.strictObject({
  header: z.string().min(1).default('Authorization'),
  /** The environment variable holding the secret. */
  env: z.string().regex(ENV_NAME, 'must be an environment variable name'),
  /** Put in front of the value, e.g. "Bearer ". */
  prefix: z.string().default(''),
});

/** Timeouts, retries and outlier ejection; every field has the service-mesh default. */
export const resilienceSchema = z.strictObject({
  /** Tries in all, the first included. */
  attempts: z.int().min(1).max(10).default(3),
  /** One try (submit, wait, download) is aborted after this long. */
  tryTimeoutMs: z.int().positive().default(45_000),
  /** The whole call, tries and backoff included. */
  deadlineMs: z.int().positive().default(120_000),
  /** First retry delay; each later one grows exponentially, with jitter. */
  backoffMs: z.int().min(0).default(250),
  /** Largest retry delay. */
  maxBackoffMs: z.int().min(0).default(5_000),
  /** Consecutive upstream failures (5xx, reset, refused, try timeout) that eject a host. */
  consecutiveFailures: z.int().min(1).default(3),
  /** How long a first ejection lasts; the n-th ejection in a row lasts n times as long. */
  ejectionMs: z.int().positive().default(60_000),
  /** The longest an ejection lasts. */
  maxEjectionMs: z.int().positive().default(300_000),
  /** At most this share of a model's hosts is ejected at once (one host always may be). */
  maxEjectedPercent: z.int().min(0).max(100).default(50),
  /** How often the result is polled when the progress socket is not available. */
  pollIntervalMs: z.int().positive().default(500),
});
export type Resilience = z.output<typeof resilienceSchema>;

/** An API-format graph: `{<node id>: {class_type, inputs}}`. */
export const apiGraphSchema = z.record(z.string(), z.looseObject({ class_type: z.string(), inputs: z.record(z.string(), z.unknown()) }));
export type ApiGraph = z.output<typeof apiGraphSchema>;

export const comfyuiRemoteSchema = z.strictObject({
  engine: z.literal('comfyui-remote'),
  upstreams: z.array(upstreamUrl).min(1, 'must list at least one upstream URL'),
  /** The graph itself, or a file beside the manifest that holds it (read with the manifest). */
  workflow: apiGraphSchema,
  bindings: z.partialRecord(z.enum(BINDABLE_FIELDS), z.union([inputTarget, z.array(inputTarget).min(1)])),
  /** The node whose images are the result. */
  output: z.string().min(1),
  auth: authSchema.optional(),
  resilience: resilienceSchema.default(resilienceSchema.parse({})),
});

export const openaiImagesSchema = z.strictObject({
  engine: z.literal('openai-images'),
  /** The API root, e.g. https://api.openai.com/v1 (`/images/generations` is appended). */
  baseUrl: upstreamUrl,
  /** The upstream's model name. */
  model: z.string().min(1),
  /** The environment variable holding the API key (sent as a Bearer token). */
  apiKeyEnv: z.string().regex(ENV_NAME, 'must be an environment variable name').optional(),
  resilience: resilienceSchema.default(resilienceSchema.parse({})),
});

export type ComfyuiRemoteSpec = z.output<typeof comfyuiRemoteSchema>;
export type OpenaiImagesSpec = z.output<typeof openaiImagesSchema>;
export type RemoteEngineSpec = ComfyuiRemoteSpec | OpenaiImagesSpec;
export const REMOTE_ENGINES = ['comfyui-remote', 'openai-images'] as const;
export type RemoteEngineName = (typeof REMOTE_ENGINES)[number];

/** The keys of a manifest that belong to its remote engine. */
export const REMOTE_KEYS = ['upstreams', 'workflow', 'bindings', 'output', 'auth', 'baseUrl', 'model', 'apiKeyEnv', 'resilience'] as const;

/** Binding targets that name no node of the graph: a typo would silently leave the default in place. */
export function unboundTargets(spec: ComfyuiRemoteSpec): string[] {
  const problems: string[] = [];
  for (const [field, targets] of Object.entries(spec.bindings)) {
    for (const target of [targets ?? []].flat()) {
      const node = target.split('.')[0];
      if (!spec.workflow[node]) problems.push(`bindings.${field}: node "${node}" is not in the workflow`);
    }
  }
  if (!spec.workflow[spec.output]) problems.push(`output: node "${spec.output}" is not in the workflow`);
  return problems;
}

/** The upstream hosts of a remote engine. */
export const upstreamsOf = (spec: RemoteEngineSpec): string[] => (spec.engine === 'comfyui-remote' ? spec.upstreams : [spec.baseUrl]);
