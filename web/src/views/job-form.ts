import type { AtelierClient } from '../../../client/src';
import type { Job, JobRequest, JobTypeInfo, Model, Template } from '../api/types';
import { fieldsOf, groupOf, inputOf, isActive } from '../job-types/job-fields';
import { describeError } from '../ui/describe-error';
import { jobTypeLabel } from '../ui/job-labels';
import { randomId } from '../ui/random-id';
import { drawField, valueOf, type DrawnField } from './job-fields-view';
import type { Notice } from './notice';
import { SourceImage } from './source-image';

/** Any image id, for quotes before an image is chosen (the cost does not depend on it). */
const PLACEHOLDER_IMAGE = '00000000-0000-4000-8000-000000000000';

/**
 * The "New job" form, built from the API's job types (`GET /v1/job-types`): the type picker,
 * and for the chosen type its fields (bounds, defaults, hints from its input schema), the
 * source image when it needs one and the models that serve it. Submits `POST /v1/jobs`.
 */
export class JobForm {
  private readonly form = document.querySelector<HTMLFormElement>('#job-form')!;
  private readonly type = document.querySelector<HTMLSelectElement>('#job-type')!;
  private readonly typeDescription = document.querySelector<HTMLElement>('#job-type-description')!;
  private readonly typesError = document.querySelector<HTMLElement>('#job-types-error')!;
  private readonly modelFields = document.querySelector<HTMLFieldSetElement>('#job-model-fields')!;
  private readonly model = document.querySelector<HTMLSelectElement>('#job-model')!;
  private readonly modelError = document.querySelector<HTMLElement>('#job-model-error')!;
  private readonly sourceFields = document.querySelector<HTMLFieldSetElement>('#job-source-fields')!;
  private readonly inputFields = document.querySelector<HTMLFieldSetElement>('#job-input-fields')!;
  private readonly inputBox = document.querySelector<HTMLElement>('#job-input')!;
  private readonly templateError = document.querySelector<HTMLElement>('#job-template-error')!;
  private readonly quote = document.querySelector<HTMLElement>('#job-quote')!;
  private readonly submitButton = document.querySelector<HTMLButtonElement>('#job-submit')!;
  private readonly source: SourceImage;
  private jobTypes: JobTypeInfo[] = [];
  private models: Model[] = [];
  private templates: Template[] = [];
  private drawn: DrawnField[] = [];
  /** What was typed, by type and field, so switching types and back keeps it. */
  private readonly typed = new Map<string, string>();
  private quoteTimer = 0;

  constructor(
    private readonly api: AtelierClient,
    private readonly notice: Notice,
    private readonly onSubmitted: (job: Job) => void,
  ) {
    this.source = new SourceImage(api);
    this.type.addEventListener('change', () => this.showType());
    this.form.addEventListener('input', (event) => this.onInput(event.target));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  /**
   * Loads what the form offers. A list that fails to load says so beside its field, with the
   * API's message, instead of offering a list the server did not give.
   */
  async load(): Promise<void> {
    this.source.reset();
    const [jobTypes, models, templates] = await Promise.all([
      this.loadList(() => this.api.listJobTypes(), this.typesError, 'The job types could not be loaded, so no job can be submitted.'),
      this.loadList(() => this.api.listModels(), this.modelError, 'The models could not be loaded, so only the default model is offered.'),
      this.loadList(async () => (await this.api.listTemplates({ limit: 50 })).items, this.templateError, 'The templates could not be loaded.'),
    ]);
    this.jobTypes = jobTypes;
    this.models = models;
    this.templates = templates;
    this.drawTypePicker();
    this.showType();
  }

  private async loadList<T>(load: () => Promise<T[]>, error: HTMLElement, failure: string): Promise<T[]> {
    try {
      const items = await load();
      error.hidden = true;
      error.textContent = '';
      return items;
    } catch (cause) {
      error.textContent = `${failure} ${describeError(cause)}`;
      error.hidden = false;
      return [];
    }
  }

  private drawTypePicker(): void {
    const chosen = this.type.value;
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const jobType of this.jobTypes) {
      const name = groupOf(jobType);
      if (!groups.has(name)) groups.set(name, Object.assign(document.createElement('optgroup'), { label: name }));
      groups.get(name)!.append(new Option(jobTypeLabel(jobType.type), jobType.type));
    }
    this.type.replaceChildren(...groups.values());
    if (this.jobTypes.some((t) => t.type === chosen)) this.type.value = chosen;
    this.type.disabled = this.submitButton.disabled = this.jobTypes.length === 0;
  }

  private get current(): JobTypeInfo | undefined {
    return this.jobTypes.find((t) => t.type === this.type.value);
  }

  /** Draws the fields of the chosen job type, with what was typed for it before or its defaults. */
  private showType(): void {
    const jobType = this.current;
    this.typeDescription.textContent = jobType?.description ?? '';
    this.sourceFields.hidden = !jobType?.needsImage;
    this.drawModels(jobType);
    this.drawn = jobType ? fieldsOf(jobType).map((field) => drawField(field, this.typed.get(`${jobType.type}.${field.name}`) ?? field.initial, this.templates)) : [];
    this.inputBox.replaceChildren(...this.drawn.map((d) => d.wrapper));
    this.inputFields.hidden = this.drawn.length === 0;
    this.templateError.hidden = !this.templateError.textContent || !this.drawn.some((d) => d.field.control === 'template');
    this.showActiveFields();
    this.scheduleQuote();
  }

  /** The models that serve the type, for the types whose `model` picks one. */
  private drawModels(jobType: JobTypeInfo | undefined): void {
    const fitting = jobType ? this.models.filter((m) => (m.jobTypes ?? [m.pipeline]).includes(jobType.type)) : [];
    const chosen = this.model.value;
    this.model.replaceChildren(new Option('Default for this job', ''), ...fitting.map((m) => new Option(`${m.id} (${m.state})`, m.id)));
    if (fitting.some((m) => m.id === chosen)) this.model.value = chosen;
    const shown = !!jobType?.usesModel;
    this.modelFields.hidden = this.modelFields.disabled = !shown;
  }

  /** A chosen template replaces the prompt: only the fields in play show. */
  private showActiveFields(): void {
    const templateChosen = !!this.values().get('templateId');
    for (const { field, wrapper } of this.drawn) wrapper.hidden = !isActive(field, templateChosen);
  }

  private onInput(target: EventTarget | null): void {
    const drawn = this.drawn.find((d) => d.control === target);
    const jobType = this.current;
    if (drawn && jobType) {
      this.typed.set(`${jobType.type}.${drawn.field.name}`, valueOf(drawn));
      if (drawn.field.control === 'template') this.showActiveFields();
    }
    this.scheduleQuote();
  }

  private values(): Map<string, string> {
    return new Map(this.drawn.map((d) => [d.field.name, valueOf(d)]));
  }

  private request(imageId: string | null): JobRequest | null {
    const jobType = this.current;
    if (!jobType) return null;
    const model = jobType && !this.modelFields.hidden ? this.model.value : '';
    return { type: jobType.type, ...(model ? { model } : {}), input: inputOf(jobType, this.values(), imageId) };
  }

  private scheduleQuote(): void {
    clearTimeout(this.quoteTimer);
    this.quoteTimer = window.setTimeout(() => void this.updateQuote(), 300);
  }

  private async updateQuote(): Promise<void> {
    const request = this.request(this.source.imageId ?? PLACEHOLDER_IMAGE);
    try {
      if (!request) throw new Error('no job type');
      const cost = await this.api.quote(request);
      this.quote.textContent = `Costs ${cost} credit${cost === 1 ? '' : 's'}.`;
    } catch {
      this.quote.textContent = '';
    }
  }

  private async submit(): Promise<void> {
    let request: JobRequest | null;
    try {
      request = this.request(this.source.imageId);
    } catch (error) {
      this.notice.error(`The job was not sent. ${(error as Error).message}`);
      return;
    }
    if (!request) return;
    if (this.current?.needsImage && !this.source.imageId) {
      this.notice.error('Choose or drop a source image first: this job works on an image.');
      return;
    }
    this.submitButton.disabled = true;
    try {
      // One key per click: a retried request cannot create a second job.
      const job = await this.api.submit(request, randomId());
      this.notice.clear();
      this.onSubmitted(job);
    } catch (error) {
      this.notice.error(`The job was not accepted. ${describeError(error)}`);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}
