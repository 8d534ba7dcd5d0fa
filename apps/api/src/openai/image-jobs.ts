import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { JobCompletion, SubmitJob, type JobEntity } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { ImagesService, SignedImageUrls } from '@atelier/storage';
import type { ImageJobRequest } from './image-request';
import { succeededOrThrow } from './job-outcome';
import type { OpenAiImagesView } from './openai.views';

/**
 * An OpenAI Images request through the one job path: SubmitJob (validation, plan limits,
 * credits, rate limits, idempotency), then JobCompletion until it ends, then OpenAI's answer.
 */
@Injectable()
export class OpenAiImageJobs {
  constructor(
    private readonly submitJob: SubmitJob,
    private readonly completion: JobCompletion,
    private readonly images: ImagesService,
    private readonly urls: SignedImageUrls,
    private readonly config: AppConfig,
  ) {}

  async generate(ownerId: string, request: ImageJobRequest, idempotencyKey: string | undefined, http: Request): Promise<OpenAiImagesView> {
    const { job } = await this.submitJob.execute(ownerId, request.job, idempotencyKey);
    const waitMs = this.config.openaiWaitMs;
    const done = succeededOrThrow(await this.completion.wait(ownerId, job.id, waitMs), job.id, waitMs);
    return this.answer(ownerId, done, request, this.baseUrl(http));
  }

  private async answer(ownerId: string, job: JobEntity, request: ImageJobRequest, baseUrl: string): Promise<OpenAiImagesView> {
    const revised = typeof job.input.prompt === 'string' ? { revised_prompt: job.input.prompt } : {};
    const { outputFormat } = request;
    const data = await Promise.all(
      job.outputs.flatMap((output) => ('imageId' in output ? [output.imageId] : [])).map(async (imageId) => {
        if (request.responseFormat === 'b64_json') {
          const { bytes } = await this.images.content(ownerId, imageId, { format: outputFormat });
          return { b64_json: bytes.toString('base64'), ...revised };
        }
        // PUBLIC_IMAGE_BASE_URL (a CDN) makes signed URLs absolute already.
        return { url: `${this.urls.absolute ? '' : baseUrl}${this.urls.sign(imageId)}${outputFormat ? `&format=${outputFormat}` : ''}`, ...revised };
      }),
    );
    return { created: Math.floor(job.createdAt.getTime() / 1000), data };
  }

  /** PUBLIC_BASE_URL, else the address the caller used (behind a proxy, set PUBLIC_BASE_URL). */
  private baseUrl(http: Request): string {
    return this.config.publicBaseUrl || `${http.protocol}://${http.get('host')}`;
  }
}
