import { Body, Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import sharp from 'sharp';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { AppConfig, platformErrors } from '@atelier/platform';
import { ImagesService, storageErrors } from '@atelier/storage';
import { httpErrors } from '../http/http-errors';
import { imageFileName, parseImageFileName, type ViewFormat } from './comfy-files';
import { applyMaskAlpha } from './comfy-mask';
import { StorageQuotas } from '../images/storage-quotas';

type UploadType = 'input' | 'temp' | 'output';
const UPLOAD_TYPES: ReadonlySet<string> = new Set<UploadType>(['input', 'temp', 'output']);

interface UploadAnswer {
  name: string;
  subfolder: '';
  type: UploadType;
}

const notFound = () => storageErrors('IMAGE_NOT_FOUND', 'Image not found');

/**
 * ComfyUI's files are the caller's Atelier images: `/upload/image` stores one (the checks of
 * POST /v1/images), `/view` serves one by its name `<imageId>.png`. Nobody reaches another
 * user's image (404, as for an image that does not exist).
 */
@ApiExcludeController()
@Controller(['', 'api'])
export class ComfyFilesController {
  constructor(
    private readonly images: ImagesService,
    private readonly config: AppConfig,
    private readonly quotas: StorageQuotas,
  ) {}

  /** `filename`, with `preview=webp;90|jpeg;90` and `channel=rgba|rgb|a`; `type` and `subfolder` do not matter here. */
  @Get('view')
  @Authenticated({ scope: 'images:read' })
  async view(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    if (typeof query.filename !== 'string' || !query.filename) throw platformErrors('BAD_REQUEST', 'filename is required');
    const name = parseImageFileName(query.filename);
    if (!name) throw notFound();
    const preview = typeof query.preview === 'string' ? /^(webp|jpeg)/.exec(query.preview)?.[1] : undefined;
    const format = (preview as ViewFormat | undefined) ?? name.format;
    const content = await this.images.content(principal.userId, name.imageId, { format });
    let bytes = content.bytes;
    let contentType = content.contentType;
    if (query.channel === 'rgb' || query.channel === 'a') {
      const image = sharp(bytes);
      bytes = await (query.channel === 'rgb' ? image.removeAlpha() : image.ensureAlpha().extractChannel(3)).png().toBuffer();
      contentType = 'image/png';
    }
    response.setHeader('Content-Type', contentType);
    response.setHeader('Content-Disposition', `filename="${imageFileName(name.imageId).replace(/\.png$/, `.${format === 'jpeg' ? 'jpg' : format}`)}"`);
    response.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    response.status(200).end(bytes);
  }

  /** Multipart `image`; answers `{name, subfolder: "", type}`, where `name` is what LoadImage's `image` takes. */
  @Post('upload/image')
  @HttpCode(200)
  @Authenticated({ scope: 'images:write' })
  @UseInterceptors(FileInterceptor('image'))
  async uploadImage(@CurrentPrincipal() principal: Principal, @UploadedFile() file: Express.Multer.File | undefined, @Body() body: Record<string, unknown>): Promise<UploadAnswer> {
    const image = await this.images.upload(principal.userId, this.bytesOf(file), await this.quotas.of(principal.userId));
    return this.answer(image.id, body);
  }

  /** Multipart `image` (the mask) and `original_ref` (JSON `{filename}` of one of the caller's images): the original with the mask's alpha, as a new image. */
  @Post('upload/mask')
  @HttpCode(200)
  @Authenticated({ scope: 'images:write' })
  @UseInterceptors(FileInterceptor('image'))
  async uploadMask(@CurrentPrincipal() principal: Principal, @UploadedFile() file: Express.Multer.File | undefined, @Body() body: Record<string, unknown>): Promise<UploadAnswer> {
    const mask = this.bytesOf(file);
    let reference: { filename?: unknown };
    try {
      reference = JSON.parse(String(body?.original_ref ?? '')) as { filename?: unknown };
    } catch {
      throw platformErrors('BAD_REQUEST', 'original_ref must be JSON: {"filename": "<imageId>.png"}');
    }
    const original = typeof reference?.filename === 'string' ? parseImageFileName(reference.filename) : null;
    if (!original) throw notFound();
    const originalBytes = await this.images.readOriginal(principal.userId, original.imageId);
    const image = await this.images.upload(principal.userId, await applyMaskAlpha(originalBytes, mask, this.config.uploadMaxPixels), await this.quotas.of(principal.userId));
    return this.answer(image.id, body);
  }

  private bytesOf(file: Express.Multer.File | undefined): Buffer {
    if (!file?.buffer?.length) throw httpErrors('FILE_MISSING', 'Send the image as multipart/form-data in the field "image"');
    return file.buffer;
  }

  private answer(imageId: string, body: Record<string, unknown>): UploadAnswer {
    const type = typeof body?.type === 'string' && UPLOAD_TYPES.has(body.type) ? (body.type as UploadType) : 'input';
    return { name: imageFileName(imageId), subfolder: '', type };
  }
}
