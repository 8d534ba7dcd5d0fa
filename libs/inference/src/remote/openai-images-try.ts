import type { OpenaiImagesSpec } from '@atelier/models';
import type { GenerationJobRequest } from '../generation/generation-request';
import { UpstreamRunFailed } from './upstream-errors';
import { readBody, upstreamFetch } from './upstream-http';

/**
 * One try against an OpenAI-compatible images API: `images/generations` for txt2img,
 * `images/edits` (multipart, the init image as `image`) for img2img, `b64_json` answers.
 */
export async function openaiImagesTry(spec: OpenaiImagesSpec, host: string, request: GenerationJobRequest, headers: Record<string, string>, signal: AbortSignal): Promise<Buffer[]> {
  const size = `${request.width}x${request.height}`;
  let response: Response;
  if (request.initImage) {
    const form = new FormData();
    form.append('model', spec.model);
    form.append('prompt', request.prompt);
    form.append('n', String(request.batch));
    form.append('size', size);
    form.append('response_format', 'b64_json');
    form.append('image', new Blob([new Uint8Array(request.initImage)], { type: 'image/png' }), 'image.png');
    response = await upstreamFetch(host, `${host}/images/edits`, { method: 'POST', headers, body: form }, signal);
  } else {
    response = await upstreamFetch(host, `${host}/images/generations`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: spec.model, prompt: request.prompt, n: request.batch, size, response_format: 'b64_json' }),
    }, signal);
  }
  const answer = await readBody<{ data?: Array<{ b64_json?: string }> }>(host, response, 'json', signal);
  const images = (answer.data ?? []).map((d) => d.b64_json).filter((b): b is string => typeof b === 'string');
  if (images.length === 0) throw new UpstreamRunFailed(host, `${host} answered without a b64_json image`);
  return images.map((b64) => Buffer.from(b64, 'base64'));
}
