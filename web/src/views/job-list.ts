import type { AtelierClient } from '../../../client/src';
import { JobEvents, type JobEvent, type JobEventName } from '../api/job-events';
import { FINAL_STATUSES, type Job, type JobOutput } from '../api/types';
import { describeError } from '../ui/describe-error';
import { setImageSource } from '../ui/image-source';
import { JobCard } from './job-card';
import type { Notice } from './notice';

const SHOWN = 12;

/**
 * The live job list. Events update the cards; on every socket (re)connect, and so after a
 * page reload, unfinished jobs are re-subscribed and their snapshots applied.
 */
export class JobList {
  private readonly list = document.querySelector<HTMLOListElement>('#jobs')!;
  private readonly empty = document.querySelector<HTMLElement>('#jobs-empty')!;
  private readonly cards = new Map<string, JobCard>();
  private readonly events: JobEvents;

  constructor(
    private readonly api: AtelierClient,
    private readonly notice: Notice,
    private readonly onFinished: (job: Job) => void,
  ) {
    this.events = new JobEvents(api, (name, event) => void this.apply(name, event), () => void this.resubscribe());
  }

  async start(): Promise<void> {
    this.cards.clear();
    this.list.replaceChildren();
    const page = await this.api.listJobs({ limit: SHOWN });
    for (const job of page.items.reverse()) this.add(job);
    this.events.connect();
  }

  stop(): void {
    this.events.close();
  }

  add(job: Job): JobCard {
    const known = this.cards.get(job.id);
    if (known) {
      known.update(job); // the job's first event can beat the 202
      return known;
    }
    const card = new JobCard(job, (j) => void this.cancel(j));
    this.cards.set(job.id, card);
    this.list.prepend(card.element);
    while (this.list.children.length > SHOWN * 2) this.list.lastElementChild?.remove();
    this.empty.hidden = true;
    return card;
  }

  private async apply(name: JobEventName, event: JobEvent): Promise<void> {
    const card = this.cards.get(event.jobId) ?? (await this.snapshot(event.jobId));
    if (!card) return;
    const job = card.job;
    if (name === 'job.queued') card.update({ ...job, queuePosition: Number(event.queuePosition) });
    else if (name === 'job.started') card.update({ ...job, status: 'running' });
    else if (name === 'job.progress') {
      const { step, totalSteps, percent, previewUrl } = event as unknown as Job['progress'] & { previewUrl?: string };
      card.update({ ...job, status: 'running', progress: { step, totalSteps, percent } });
      if (previewUrl && !card.finished) void card.showPreview((img) => setImageSource(img, previewUrl, this.api));
    } else {
      const status = name.slice('job.'.length) as Job['status'];
      const outputs = (event.outputs as JobOutput[] | undefined) ?? job.outputs;
      card.update({ ...job, status, outputs, ...(event.error ? { error: event.error as Job['error'] } : {}) });
      this.onFinished(card.job);
    }
  }

  /** A job this page has no card for yet (submitted elsewhere, or its event beat the 202). */
  private async snapshot(jobId: string): Promise<JobCard | null> {
    const job = await this.events.subscribe(jobId);
    return job ? this.add(job) : null;
  }

  private async resubscribe(): Promise<void> {
    for (const card of [...this.cards.values()].filter((c) => !c.finished)) {
      const job = await this.events.subscribe(card.job.id);
      if (!job) continue;
      card.update(job);
      if (FINAL_STATUSES.has(job.status)) this.onFinished(card.job);
    }
  }

  private async cancel(job: Job): Promise<void> {
    try {
      this.add(await this.api.cancel(job.id));
    } catch (error) {
      this.notice.error(`Could not cancel the job. ${describeError(error)}`);
    }
  }
}
