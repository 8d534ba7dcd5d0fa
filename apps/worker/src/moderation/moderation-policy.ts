import { Injectable, Logger } from '@nestjs/common';
import { ContentModerator, type ModerationScores } from '@atelier/inference';
import type { JobEntity, JobOutput } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { ImagesService, type ImageModeration } from '@atelier/storage';
import { workerErrors } from '../worker-errors';

/** porn + hentai (+ sexy when the setting counts it) at or above the threshold flags an image. */
export function isFlagged(labels: ModerationScores['labels'], policy: { threshold: number; countSexy: boolean }): boolean {
  const score = labels.porn + labels.hentai + (policy.countSexy ? labels.sexy : 0);
  return score >= policy.threshold;
}

/**
 * MODERATION for job outputs: `flag` classifies every image a job made and stores the verdict
 * with it; `block` also withholds flagged outputs (deleted before the job finishes) and fails
 * the job with CONTENT_REFUSED, which releases its credits. `off` does nothing.
 */
@Injectable()
export class ModerationPolicy {
  private readonly logger = new Logger(ModerationPolicy.name);

  constructor(
    private readonly moderator: ContentModerator,
    private readonly images: ImagesService,
    private readonly config: AppConfig,
  ) {}

  /** The verdict on one image, stored with it. */
  async check(ownerId: string, imageId: string, bytes?: Buffer): Promise<ImageModeration> {
    const scores = await this.moderator.classify(bytes ?? (await this.images.readOriginal(ownerId, imageId)));
    const verdict = { ...scores, flagged: isFlagged(scores.labels, this.config.moderation) };
    await this.images.recordModeration(ownerId, imageId, verdict);
    return verdict;
  }

  async screenOutputs(job: JobEntity, outputs: JobOutput[]): Promise<void> {
    const { mode } = this.config.moderation;
    if (mode === 'off') return;
    const images = outputs.flatMap((o) => ('imageId' in o ? [o.imageId] : []));
    const flagged: string[] = [];
    for (const imageId of images) if ((await this.check(job.ownerId, imageId)).flagged) flagged.push(imageId);
    if (!flagged.length || mode !== 'block') return;
    for (const imageId of images) await this.images.softDelete(job.ownerId, imageId);
    this.logger.warn({ jobId: job.id, flagged: flagged.length }, 'outputs withheld by the moderation policy');
    throw workerErrors('CONTENT_REFUSED', `The moderation policy withheld ${flagged.length} of this job's ${images.length} image(s)`, { flagged: flagged.length });
  }
}
