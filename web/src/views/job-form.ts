import type { ApiClient } from '../api/api-client';
import { describeError } from '../api/api-error';
import type { Job, Model, Page, Template } from '../api/types';
import { NEEDS_IMAGE, readJobRequest, type JobRequest } from './job-request';
import type { Notice } from './notice';
import { SourceImage } from './source-image';
import { randomId } from '../ui/random-id';

/** Shown when the API has no `GET /v1/models` (older servers): the bundled analysis models. */
const BUILT_IN_MODELS: Model[] = [
  { id: 'blazeface-front', pipeline: 'detect-faces', description: 'BlazeFace short range', state: 'cold' },
  { id: 'blazeface-back', pipeline: 'detect-faces', description: 'BlazeFace full range', state: 'cold' },
];

/** The "New job" form: fields follow the chosen job type; submits `POST /v1/jobs`. */
export class JobForm {
  private readonly form = document.querySelector<HTMLFormElement>('#job-form')!;
  private readonly type = document.querySelector<HTMLSelectElement>('#job-type')!;
  private readonly model = document.querySelector<HTMLSelectElement>('#job-model')!;
  private readonly template = document.querySelector<HTMLSelectElement>('#job-template')!;
  private readonly quote = document.querySelector<HTMLElement>('#job-quote')!;
  private readonly submitButton = document.querySelector<HTMLButtonElement>('#job-submit')!;
  private readonly source: SourceImage;
  private models: Model[] = [];
  private quoteTimer = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly notice: Notice,
    private readonly onSubmitted: (job: Job, request: JobRequest) => void,
  ) {
    this.source = new SourceImage(api);
    this.type.addEventListener('change', () => this.showFieldsFor(this.type.value));
    this.template.addEventListener('change', () => this.showFieldsFor(this.type.value));
    this.form.addEventListener('input', () => this.scheduleQuote());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.showFieldsFor(this.type.value);
  }

  /** Loads the lists the form offers; each may be missing on an older server. */
  async load(): Promise<void> {
    this.source.reset();
    const [models, templates] = await Promise.all([
      this.api.get<Model[]>('/v1/models').catch(() => BUILT_IN_MODELS),
      this.api.get<Page<Template> | Template[]>('/v1/templates?limit=50').catch(() => []),
    ]);
    this.models = models;
    const items = Array.isArray(templates) ? templates : templates.items;
    this.template.replaceChildren(new Option('None: write a prompt', ''), ...items.map((t) => new Option(`${t.name} (v${t.version})`, t.id)));
    this.showFieldsFor(this.type.value);
  }

  private showFieldsFor(type: string): void {
    for (const part of this.form.querySelectorAll<HTMLElement>('[data-types]')) {
      const shown = part.dataset.types!.split(' ').includes(type);
      part.hidden = !shown;
      for (const control of part.querySelectorAll<HTMLInputElement>('input, select, textarea')) control.disabled = !shown;
      if (part instanceof HTMLFieldSetElement) part.disabled = !shown;
    }
    const templated = this.template.value !== '';
    this.form.querySelector<HTMLElement>('[data-prompt]')!.hidden = templated;
    this.form.querySelector<HTMLElement>('[data-subject]')!.hidden = !templated;
    const fitting = this.models.filter((m) => (m.jobTypes ?? [m.pipeline]).includes(type));
    this.model.replaceChildren(new Option('Default for this job', ''), ...fitting.map((m) => new Option(`${m.id} (${m.state})`, m.id)));
    this.scheduleQuote();
  }

  private scheduleQuote(): void {
    clearTimeout(this.quoteTimer);
    this.quoteTimer = window.setTimeout(() => void this.updateQuote(), 300);
  }

  private async updateQuote(): Promise<void> {
    const request = readJobRequest(this.form, this.source.imageId ?? '00000000-0000-4000-8000-000000000000');
    try {
      const { cost } = await this.api.post<{ cost: number }>('/v1/jobs/quote', { ...request });
      this.quote.textContent = `Costs ${cost} credit${cost === 1 ? '' : 's'}.`;
    } catch {
      this.quote.textContent = '';
    }
  }

  private async submit(): Promise<void> {
    const request = readJobRequest(this.form, this.source.imageId);
    if (NEEDS_IMAGE.has(request.type) && !this.source.imageId) {
      this.notice.error('Choose or drop a source image first: this job works on an image.');
      return;
    }
    this.submitButton.disabled = true;
    try {
      // One key per click: a retried request cannot create a second job.
      const job = await this.api.post<Job>('/v1/jobs', { ...request }, { 'idempotency-key': randomId() });
      this.notice.clear();
      this.onSubmitted(job, request);
    } catch (error) {
      this.notice.error(`The job was not accepted. ${describeError(error)}`);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}
