import type { AtelierClient } from '../../../client/src';
import type { Job, Model } from '../api/types';
import { describeError } from '../ui/describe-error';
import { randomId } from '../ui/random-id';
import { NEEDS_IMAGE, readJobRequest, type JobRequest } from './job-request';
import type { Notice } from './notice';
import { SourceImage } from './source-image';

/** The "New job" form: fields follow the chosen job type; submits `POST /v1/jobs`. */
export class JobForm {
  private readonly form = document.querySelector<HTMLFormElement>('#job-form')!;
  private readonly type = document.querySelector<HTMLSelectElement>('#job-type')!;
  private readonly model = document.querySelector<HTMLSelectElement>('#job-model')!;
  private readonly template = document.querySelector<HTMLSelectElement>('#job-template')!;
  private readonly modelError = document.querySelector<HTMLElement>('#job-model-error')!;
  private readonly templateError = document.querySelector<HTMLElement>('#job-template-error')!;
  private readonly quote = document.querySelector<HTMLElement>('#job-quote')!;
  private readonly submitButton = document.querySelector<HTMLButtonElement>('#job-submit')!;
  private readonly source: SourceImage;
  private models: Model[] = [];
  private quoteTimer = 0;

  constructor(
    private readonly api: AtelierClient,
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

  /**
   * Loads the lists the form offers. A list that fails to load says so beside its field, with
   * the API's message, instead of offering a list the server did not give.
   */
  async load(): Promise<void> {
    this.source.reset();
    const [models, templates] = await Promise.all([
      this.loadList(() => this.api.listModels(), this.modelError, 'The models could not be loaded, so only the default model is offered.'),
      this.loadList(async () => (await this.api.listTemplates({ limit: 50 })).items, this.templateError, 'The templates could not be loaded.'),
    ]);
    this.models = models;
    this.template.replaceChildren(new Option('None: write a prompt', ''), ...templates.map((t) => new Option(`${t.name} (v${t.version})`, t.id)));
    this.showFieldsFor(this.type.value);
  }

  private async loadList<T>(load: () => Promise<T[]>, error: HTMLElement, failure: string): Promise<T[]> {
    try {
      const items = await load();
      error.hidden = true;
      return items;
    } catch (cause) {
      error.textContent = `${failure} ${describeError(cause)}`;
      error.hidden = false;
      return [];
    }
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
      const cost = await this.api.quote(request);
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
      const job = await this.api.submit(request, randomId());
      this.notice.clear();
      this.onSubmitted(job, request);
    } catch (error) {
      this.notice.error(`The job was not accepted. ${describeError(error)}`);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}
