import { Injectable } from '@nestjs/common';
import { TextRecognizer } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { ContextOf, JobHandler } from './job-handler';

/** PaddleOCR text as JSON: the whole text plus each line with its confidence and four-corner box. */
@Injectable()
export class OcrHandler implements JobHandler<'ocr'> {
  readonly definition = JOB_TYPE_BY_NAME.ocr;

  constructor(
    private readonly images: ImagesService,
    private readonly recognizer: TextRecognizer,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'ocr'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 2);
    const { text, lines } = await this.recognizer.recognize(source);
    return [{ kind: 'json', data: { text, lines } }];
  }
}
