import type { AtelierClient } from '../../../client/src';
import type { Job, LibraryImage } from '../api/types';
import { setImageSource } from '../ui/image-source';

/** One tile: an image of the library; `job` once known (generated images whose job is still kept). */
export interface GalleryItem {
  image: Pick<LibraryImage, 'id' | 'url' | 'width' | 'height' | 'source' | 'createdAt'> & { jobId?: string };
  job?: Job;
}

const PAGE_SIZE = 60;

/**
 * The user's images from the library (`GET /v1/images`): uploads and generated images, newest
 * first, whether or not their jobs are still kept. Thumbnails are small WebP variants of the
 * signed URLs, loaded lazily; outputs of jobs that finish meanwhile are added on top.
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
    const page = await this.api.listImages({ limit: PAGE_SIZE });
    for (const image of page.items) {
      this.shown.add(image.id);
      this.list.append(this.tile({ image }));
    }
    this.updateEmpty();
  }

  addJob(job: Job): void {
    for (const output of job.outputs) {
      if (!('imageId' in output) || this.shown.has(output.imageId)) continue;
      this.shown.add(output.imageId);
      const image = { id: output.imageId, url: output.url, width: output.width, height: output.height, source: 'generated' as const, createdAt: job.finishedAt ?? job.createdAt, jobId: job.id };
      this.list.prepend(this.tile({ image, job }));
    }
    this.updateEmpty();
  }

  remove(imageId: string): void {
    this.list.querySelector(`[data-image-id="${imageId}"]`)?.remove();
    this.updateEmpty();
  }

  private tile(item: GalleryItem): HTMLLIElement {
    const { image } = item;
    const li = document.createElement('li');
    li.dataset.imageId = image.id;
    li.dataset.source = image.source;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tile';
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.decoding = 'async';
    img.width = image.width;
    img.height = image.height;
    const what = image.source === 'upload' ? 'Upload' : `${item.job?.type ?? 'Generated'} result`;
    img.alt = `${what}, ${image.width} × ${image.height}, ${new Date(image.createdAt).toLocaleString()}`;
    img.addEventListener('error', () => this.remove(image.id), { once: true });
    const thumbWidth = Math.max(16, Math.min(256, image.width));
    void setImageSource(img, image.url, this.api, `&width=${thumbWidth}&format=webp`);
    button.append(img);
    button.addEventListener('click', () => this.onOpen(item));
    li.append(button);
    return li;
  }

  private updateEmpty(): void {
    this.empty.hidden = this.list.children.length > 0;
  }
}
