import type { AtelierClient } from '../../../client/src';
import { describeError } from '../ui/describe-error';

/**
 * The source image of image jobs: dropped on the zone or chosen with the file input, then
 * uploaded at once (`POST /v1/images`) so a submit only has to send the image id.
 */
export class SourceImage {
  imageId: string | null = null;
  private readonly zone = document.querySelector<HTMLElement>('#drop-zone')!;
  private readonly input = document.querySelector<HTMLInputElement>('#source-file')!;
  private readonly status = document.querySelector<HTMLElement>('#source-status')!;
  private readonly preview = document.querySelector<HTMLImageElement>('#source-preview')!;

  constructor(private readonly api: AtelierClient) {
    this.input.addEventListener('change', () => this.input.files?.[0] && void this.upload(this.input.files[0]));
    this.zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.zone.classList.add('dragging');
    });
    this.zone.addEventListener('dragleave', () => this.zone.classList.remove('dragging'));
    this.zone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.zone.classList.remove('dragging');
      const files = event.dataTransfer?.files;
      if (!files?.[0]) return;
      this.input.files = files; // the file input names the dropped file too
      void this.upload(files[0]);
    });
  }

  reset(): void {
    this.imageId = null;
    this.input.value = '';
    this.preview.hidden = true;
    this.status.textContent = 'No image yet.';
  }

  private async upload(file: File): Promise<void> {
    this.imageId = null;
    this.status.textContent = `Uploading ${file.name}…`;
    try {
      const image = await this.api.uploadImage(file, file.name);
      this.imageId = image.id;
      this.status.textContent = `Uploaded ${file.name}: ${image.width} × ${image.height} ${image.format.toUpperCase()}.`;
      if (this.preview.src.startsWith('blob:')) URL.revokeObjectURL(this.preview.src);
      this.preview.src = URL.createObjectURL(file);
      this.preview.alt = `Source image ${file.name}`;
      this.preview.hidden = false;
    } catch (error) {
      this.status.textContent = `Upload failed: ${describeError(error)}`;
      this.preview.hidden = true;
    }
  }
}
