import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import sharp from 'sharp';
import type { WebSocket } from 'ws';
import { DataSource } from 'typeorm';
import { JobEventStream } from '@atelier/jobs';
import { previewFrame, statusMessage } from './comfy-messages';
import { ComfyPromptsRepository, type ComfyPromptMeta } from './comfy-prompts.repository';
import { ComfySockets } from './comfy-sockets';
import { currentState, livePrompt, translateJobEvent, type JobEvent, type LivePrompt } from './prompt-event-translation';

/** A workflow job whose prompt row is not there yet (the worker can start it before POST /prompt has written it) is looked up again this often. */
const LOOKUP_RETRY_MS = [50, 100, 200, 400, 800, 1600, 3200];
const FORGOTTEN_MAX = 10_000;
const LIVE_MAX = 10_000;

interface Unresolved {
  events: JobEvent[];
  tries: number;
  timer?: NodeJS.Timeout;
}

/**
 * Job events → ComfyUI messages for the sockets of the prompt's owner and client id. Events of one
 * user are handled one after the other, so their frames keep the order the translation gives.
 * Only users with a socket on this instance cost anything: other events are dropped at once.
 */
@Injectable()
export class ComfyEventRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(ComfyEventRelay.name);
  private readonly live = new Map<string, LivePrompt>();
  private readonly unresolved = new Map<string, Unresolved>();
  /** Jobs that are not ComfyUI prompts (or finished ones): their events are ignored. */
  private readonly forgotten = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly queueRemaining = new Map<string, number>();
  private listening?: Promise<unknown>;

  constructor(
    private readonly stream: JobEventStream,
    private readonly prompts: ComfyPromptsRepository,
    private readonly sockets: ComfySockets,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Subscribes on the first socket (and again after a failed attempt): nothing is read for a deployment without ComfyUI clients. */
  async ensureListening(): Promise<void> {
    this.listening ??= this.stream.listen((event) => this.onEvent(event as unknown as JobEvent)).catch((error: unknown) => {
      this.listening = undefined;
      this.logger.warn(`job events not relayed to ComfyUI sockets yet: ${(error as Error).message}`);
    });
    await this.listening;
  }

  /** POST /prompt wrote the prompt: its events can be translated now, including those that came first. */
  registered(meta: ComfyPromptMeta): void {
    if (!this.sockets.watches(meta.ownerId)) return;
    if (!this.live.has(meta.jobId) && !this.forgotten.has(meta.jobId)) this.track(livePrompt(meta));
    const waiting = this.unresolved.get(meta.jobId);
    if (waiting) this.chain(meta.ownerId, () => this.resolve(meta.jobId));
    this.chain(meta.ownerId, () => this.broadcastStatus(meta.ownerId));
  }

  /**
   * A socket (re)connects: it replaces the client's old one and is told, in order, the queue
   * (with `sid`), the events it missed while away, and where its running prompts are. Done in the
   * user's turn, so no event of theirs slips in before the status.
   */
  connect(ownerId: string, clientId: string, socket: WebSocket): void {
    this.chain(ownerId, async () => {
      const missed = this.sockets.attach(ownerId, clientId, socket);
      const remaining = await this.refreshQueue(ownerId).catch(() => this.queueRemaining.get(ownerId) ?? 0);
      const running = [...this.live.values()].filter((p) => p.ownerId === ownerId && p.clientId === clientId);
      for (const message of [statusMessage(remaining, clientId), ...missed, ...running.flatMap(currentState)]) {
        this.sockets.send(ownerId, clientId, message);
      }
    });
  }

  /** The heartbeat: the last known queue of every connected user, to all their sockets. */
  heartbeat(): void {
    for (const ownerId of this.sockets.owners()) this.sockets.sendToOwner(ownerId, statusMessage(this.queueRemaining.get(ownerId) ?? 0));
  }

  private onEvent(event: JobEvent): void {
    if (!event?.payload?.jobId || !this.sockets.watches(event.ownerId)) return;
    this.chain(event.ownerId, () => this.handle(event));
  }

  private chain(ownerId: string, task: () => Promise<void>): void {
    const next = (this.chains.get(ownerId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => this.logger.warn(`ComfyUI event not relayed: ${(error as Error).message}`));
    this.chains.set(ownerId, next);
    void next.then(() => {
      if (this.chains.get(ownerId) === next) this.chains.delete(ownerId);
    });
  }

  private async handle(event: JobEvent): Promise<void> {
    const { jobId } = event.payload;
    if (event.event === 'job.queued') return this.broadcastStatus(event.ownerId);
    if (this.forgotten.has(jobId)) return;
    // Behind the events that wait for the prompt's row, so they keep their order.
    const waiting = this.unresolved.get(jobId);
    if (waiting) {
      waiting.events.push(event);
      return;
    }
    const prompt = this.live.get(jobId);
    if (prompt) return this.apply(prompt, event);
    this.unresolved.set(jobId, { events: [event], tries: 0 });
    await this.resolve(jobId);
  }

  /** Finds the prompt of a job with events waiting; a workflow job without one yet is looked up again a few times. */
  private async resolve(jobId: string): Promise<void> {
    const waiting = this.unresolved.get(jobId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    let prompt = this.live.get(jobId);
    if (!prompt) {
      const meta = await this.prompts.metaOfJob(jobId);
      if (meta) prompt = livePrompt(meta);
    }
    if (prompt) {
      this.unresolved.delete(jobId);
      this.track(prompt);
      for (const event of waiting.events) await this.apply(prompt, event);
      return;
    }
    const ownerId = waiting.events[0]!.ownerId;
    const delay = LOOKUP_RETRY_MS[waiting.tries++];
    if (delay === undefined || !(await this.isWorkflowJob(jobId))) {
      this.unresolved.delete(jobId);
      this.forget(jobId);
      return;
    }
    waiting.timer = setTimeout(() => this.chain(ownerId, () => this.resolve(jobId)), delay);
    waiting.timer.unref();
  }

  private async isWorkflowJob(jobId: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(`SELECT type FROM jobs WHERE id = $1`, [jobId])) as Array<{ type: string }>;
    return row?.type === 'workflow';
  }

  private async apply(prompt: LivePrompt, event: JobEvent): Promise<void> {
    for (const step of translateJobEvent(prompt, event)) {
      if (step.kind === 'status') await this.broadcastStatus(prompt.ownerId);
      else if (prompt.clientId === null) continue; // ComfyUI sends a prompt without client_id no events
      else if (step.kind === 'message') this.sockets.send(prompt.ownerId, prompt.clientId, step.message);
      else await this.sendPreview(prompt, step.dataUrl);
    }
    if (prompt.finished) {
      this.live.delete(prompt.jobId);
      this.forget(prompt.jobId);
    }
  }

  /** The worker's WebP preview as the JPEG frame ComfyUI clients read. */
  private async sendPreview(prompt: LivePrompt, dataUrl: string): Promise<void> {
    const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    try {
      const jpeg = await sharp(Buffer.from(base64, 'base64')).jpeg({ quality: 85 }).toBuffer();
      this.sockets.sendBinary(prompt.ownerId, prompt.clientId!, previewFrame(jpeg));
    } catch (error) {
      this.logger.warn({ jobId: prompt.jobId }, `preview not sent: ${(error as Error).message}`);
    }
  }

  private async broadcastStatus(ownerId: string): Promise<void> {
    this.sockets.sendToOwner(ownerId, statusMessage(await this.refreshQueue(ownerId)));
  }

  private async refreshQueue(ownerId: string): Promise<number> {
    const remaining = await this.prompts.countActive(ownerId);
    this.queueRemaining.set(ownerId, remaining);
    return remaining;
  }

  /** A prompt whose end never reaches this instance (events are best effort) does not stay forever. */
  private track(prompt: LivePrompt): void {
    this.live.set(prompt.jobId, prompt);
    if (this.live.size > LIVE_MAX) this.live.delete(this.live.keys().next().value!);
  }

  private forget(jobId: string): void {
    if (this.forgotten.size >= FORGOTTEN_MAX) this.forgotten.clear();
    this.forgotten.add(jobId);
  }

  onApplicationShutdown(): void {
    for (const waiting of this.unresolved.values()) clearTimeout(waiting.timer);
    this.unresolved.clear();
  }
}
