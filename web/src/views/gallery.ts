import type { AtelierClient } from '../../../client/src';
import type { ImageOutput, Job } from '../api/types';
import { setImageSource } from '../ui/image-source';

export interface GalleryItem {
  output: ImageOutput;
  job: Job;
}

/**
 * The user's images, from the outputs of their succeeded jobs, newest first. Thumbnails
 * are small WebP variants of the signed URLs, loaded lazily; a deleted image drops out.
 */
export class Gallery {
  private readonly list = document.querySelector<HTMLUListElement>('#gallery')!;
  private readonly empty = document.querySelector<HTMLElement>('#gallery-empty')!;
  private readonly shown = new Set<string>();

  constructor(
    private readonly api: AtelierClient,
    private readonly onOpen: (item: GalleryItem) => void,
  ) {}

  async load(): Promise<void> {
    this.shown.clear();
    this.list.replaceChildren();
    const page = await this.api.listJobs({ status: 'succeeded', limit: 50 });
    for (const job of page.items.reverse()) this.addJob(job);
    this.updateEmpty();
  }

  addJob(job: Job): void {
    for (const output of job.outputs) {
      if (!('imageId' in output) || this.shown.has(output.imageId)) continue;
      this.shown.add(output.imageId);
      this.list.prepend(this.tile({ output, job }));
    }
    this.updateEmpty();
  }

  remove(imageId: string): void {
    this.list.querySelector(`[data-image-id="${imageId}"]`)?.remove();
    this.updateEmpty();
  }

  private tile(item: GalleryItem): HTMLLIElement {
    const { output, job } = item;
    const li = document.createElement('li');
    li.dataset.imageId = output.imageId;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tile';
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.decoding = 'async';
    img.width = output.width;
    img.height = output.height;
    img.alt = `${job.type} result, ${output.width} × ${output.height}, ${new Date(job.finishedAt ?? job.createdAt).toLocaleString()}`;
    img.addEventListener('error', () => this.remove(output.imageId), { once: true });
    const thumbWidth = Math.max(16, Math.min(256, output.width));
    void setImageSource(img, output.url, this.api, `&width=${thumbWidth}&format=webp`);
    button.append(img);
    button.addEventListener('click', () => this.onOpen(item));
    li.append(button);
    return li;
  }

  private updateEmpty(): void {
    this.empty.hidden = this.list.children.length > 0;
  }
}
