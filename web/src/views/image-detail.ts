import type { AtelierClient } from '../../../client/src';
import type { ImageDetail, ImageOutput, Job } from '../api/types';
import { describeInput } from '../job-types/job-fields';
import { describeError } from '../ui/describe-error';
import { setImageSource } from '../ui/image-source';
import type { GalleryItem } from './gallery';

/** The detail dialog: the image, its generation parameters, rating (1–5 + feedback), delete. */
export class ImageDetailView {
  private readonly dialog = document.querySelector<HTMLDialogElement>('#detail')!;
  private readonly image = document.querySelector<HTMLImageElement>('#detail-image')!;
  private readonly facts = document.querySelector<HTMLDListElement>('#detail-facts')!;
  private readonly form = document.querySelector<HTMLFormElement>('#rating-form')!;
  private readonly status = document.querySelector<HTMLElement>('#rating-status')!;
  private item: GalleryItem | null = null;
  private meta: ImageDetail | null = null;

  constructor(
    private readonly api: AtelierClient,
    private readonly onDeleted: (imageId: string) => void,
  ) {
    this.dialog.querySelector('[data-close]')!.addEventListener('click', () => this.dialog.close());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.rate();
    });
    document.querySelector('#detail-delete')!.addEventListener('click', () => void this.remove());
  }

  async open(item: GalleryItem): Promise<void> {
    this.item = item;
    const { image } = item;
    this.form.reset();
    this.status.textContent = '';
    this.image.alt = `${image.source === 'upload' ? 'Upload' : 'Generated image'}, ${image.width} × ${image.height}`;
    this.image.removeAttribute('src');
    void setImageSource(this.image, image.url, this.api);
    this.showFacts(null);
    this.dialog.showModal();
    try {
      // A generated image listed from the library: its job, unless the retention has purged it.
      if (!item.job && image.jobId) item.job = await this.api.getJob(image.jobId).catch(() => undefined);
      this.showFacts(await this.api.getImage(image.id));
    } catch (error) {
      this.status.textContent = describeError(error);
    }
  }

  private showFacts(meta: ImageDetail | null): void {
    this.meta = meta;
    const { image, job } = this.item!;
    const rows: Array<[string, string]> = [
      ['Size', `${image.width} × ${image.height}${meta ? ` ${meta.format.toUpperCase()}, ${(meta.bytes / 1024).toFixed(1)} KiB` : ''}`],
      ...(job ? jobFacts(job, image.id) : image.source === 'upload' ? [['Uploaded', new Date(image.createdAt).toLocaleString()] as [string, string]] : [['Job', 'no longer kept'] as [string, string]]),
      ['Ratings', ratingText(meta)],
    ];
    this.facts.replaceChildren(
      ...rows.flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
  }

  private async rate(): Promise<void> {
    const data = new FormData(this.form);
    const score = Number(data.get('score'));
    if (!score) {
      this.status.textContent = 'Choose a score from 1 to 5 first.';
      return;
    }
    const feedback = String(data.get('feedback') ?? '').trim();
    try {
      const saved = await this.api.rateImage(this.item!.image.id, score, feedback || undefined);
      this.status.textContent = `Thanks, your rating of ${score} is saved.`;
      if (this.meta) this.showFacts({ ...this.meta, ratings: saved.ratings });
    } catch (error) {
      this.status.textContent = `The rating was not saved. ${describeError(error)}`;
    }
  }

  private async remove(): Promise<void> {
    const imageId = this.item!.image.id;
    if (!confirm('Delete this image? This cannot be undone.')) return;
    try {
      await this.api.deleteImage(imageId);
      this.dialog.close();
      this.onDeleted(imageId);
    } catch (error) {
      this.status.textContent = `The image was not deleted. ${describeError(error)}`;
    }
  }
}

function ratingText(meta: Pick<ImageDetail, 'ratings'> | null): string {
  const ratings = meta?.ratings;
  if (!ratings) return '…';
  return ratings.count ? `Average ${ratings.average?.toFixed(1)} from ${ratings.count} rating${ratings.count === 1 ? '' : 's'}` : 'Not rated yet';
}

/** What a job says about the image it made: type, model, cost, parameters, seed, when. */
function jobFacts(job: Job, imageId: string): Array<[string, string]> {
  const model = modelOf(job);
  const seed = seedOf(job, imageId);
  return [
    ['Job', `${job.type}${model ? ` with ${model}` : ''}, ${job.cost} credit${job.cost === 1 ? '' : 's'}`],
    ['Parameters', job.input ? describeInput(job.input) || 'defaults' : 'not reported by the server'],
    ...(seed === undefined ? [] : [['Seed', String(seed)] as [string, string]]),
    ['Finished', new Date(job.finishedAt ?? job.createdAt).toLocaleString()],
  ];
}

/** The model the worker used: the job's own, else (left on the default) the one its generation result names. */
function modelOf(job: Job): string | null {
  if (job.model) return job.model;
  const result = job.outputs.find((o) => 'kind' in o && o.kind === 'json');
  const model = result && 'data' in result ? (result.data as { model?: unknown } | null)?.model : undefined; // image operations have none
  return typeof model === 'string' ? model : null;
}

/** The seed that made this very image (from its own output entry), for generated images. */
function seedOf(job: Job, imageId: string): number | undefined {
  const output = job.outputs.find((o): o is ImageOutput => 'imageId' in o && o.imageId === imageId);
  return typeof output?.seed === 'number' ? output.seed : undefined;
}
