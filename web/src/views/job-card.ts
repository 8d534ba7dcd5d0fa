import type { Job, JobOutput } from '../api/types';
import { describeInput } from '../job-types/job-fields';
import { jobTypeLabel } from '../ui/job-labels';

const RANK: Record<string, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, canceled: 2 };

/** One job in the live list: status, a progress bar, queue position, step preview, cancel. */
export class JobCard {
  readonly element = document.createElement('li');
  private readonly status = document.createElement('p');
  private readonly bar = document.createElement('progress');
  private readonly percent = document.createElement('span');
  private readonly preview = document.createElement('img');
  private readonly result = document.createElement('div');
  private readonly cancelButton = document.createElement('button');
  private readonly detail = document.createElement('p');
  job: Job;

  constructor(job: Job, onCancel: (job: Job) => void) {
    this.job = job;
    this.element.className = 'job';
    this.element.dataset.jobId = job.id;
    const title = document.createElement('h3');
    title.textContent = jobTypeLabel(job.type);
    this.detail.className = 'muted small';
    this.bar.max = 100;
    this.bar.id = `progress-${job.id}`;
    const barLabel = document.createElement('label');
    barLabel.htmlFor = this.bar.id;
    barLabel.className = 'visually-hidden';
    barLabel.textContent = `Progress of ${title.textContent}`;
    const meter = document.createElement('div');
    meter.className = 'meter';
    meter.append(barLabel, this.bar, this.percent);
    this.status.className = 'status';
    this.preview.alt = 'Step preview';
    this.preview.hidden = true;
    this.preview.className = 'preview';
    this.cancelButton.type = 'button';
    this.cancelButton.className = 'secondary small';
    this.cancelButton.textContent = 'Cancel';
    this.cancelButton.setAttribute('aria-label', `Cancel ${title.textContent} job`);
    this.cancelButton.addEventListener('click', () => onCancel(this.job));
    this.element.append(title, this.detail, meter, this.status, this.preview, this.result, this.cancelButton);
    this.render();
  }

  /** Takes a newer snapshot; an older one (e.g. a late subscribe ack) never moves it back. */
  update(job: Job): void {
    if (RANK[job.status]! < RANK[this.job.status]!) return;
    const percent = job.status === this.job.status ? Math.max(job.progress.percent, this.job.progress.percent) : job.progress.percent;
    this.job = { ...job, progress: { ...job.progress, percent } };
    this.render();
  }

  /** Shows a step preview while the job runs; `load` points the image at it. */
  async showPreview(load: (img: HTMLImageElement) => Promise<void>): Promise<void> {
    await load(this.preview);
    this.preview.hidden = this.finished || !this.preview.getAttribute('src');
  }

  get finished(): boolean {
    return RANK[this.job.status] === 2;
  }

  private render(): void {
    const { status, progress, queuePosition, error, outputs } = this.job;
    const percent = status === 'succeeded' ? 100 : Math.round(progress.percent);
    this.bar.value = percent;
    this.percent.textContent = `${percent} %`;
    this.element.dataset.status = status;
    // The input the API accepted, with its defaults filled in.
    this.detail.textContent = describeInput(this.job.input) || `Job ${this.job.id.slice(0, 8)}`;
    this.status.textContent =
      status === 'queued' ? `Queued${queuePosition === undefined ? '' : queuePosition === 0 ? ': next in line' : `: ${queuePosition} ahead`}`
      : status === 'running' ? `Running${progress.totalSteps ? `: step ${progress.step} of ${progress.totalSteps}` : ''}`
      : status === 'succeeded' ? `Done: ${describeOutputs(outputs)}`
      : status === 'failed' ? `Failed: ${error?.message ?? 'unknown error'}${error?.code ? ` (${error.code})` : ''}`
      : 'Canceled';
    this.cancelButton.hidden = this.finished;
    if (this.finished) this.preview.hidden = true;
    this.result.replaceChildren(...outputs.filter((o) => 'kind' in o).map(jsonResult));
  }
}

function describeOutputs(outputs: JobOutput[]): string {
  const images = outputs.filter((o) => 'imageId' in o).length;
  const data = outputs.length - images;
  return [images ? `${images} image${images === 1 ? '' : 's'} in the gallery` : '', data ? 'results below' : ''].filter(Boolean).join(', ') || 'no output';
}

/** Analysis results: a one-line summary with the raw JSON behind a disclosure. */
function jsonResult(output: JobOutput): HTMLElement {
  const data = ('data' in output ? output.data : {}) as { text?: string; faces?: unknown[]; segments?: unknown[] };
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent =
    data.faces ? `${data.faces.length} face${data.faces.length === 1 ? '' : 's'} found`
    : data.segments ? `${data.segments.length} line segments`
    : data.text !== undefined ? `Text: ${data.text || '(none found)'}`
    : 'Result';
  const pre = document.createElement('pre');
  pre.textContent = JSON.stringify(data, null, 2);
  details.append(summary, pre);
  return details;
}
