import { Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, authErrors, CredentialVerifier, CurrentPrincipal, Public, type Principal } from '@atelier/auth';
import { ImagesService, SignedImageUrls, storageErrors, type ImageContent } from '@atelier/storage';
import { httpErrors } from '../http/http-errors';
import { ApiErrors } from '../openapi/api-errors';
import { RatingsService } from '../ratings/ratings.service';
import { StorageQuotas } from './storage-quotas';
import { ImageContentQuery } from './image-content.query';
import { ImageListQuery } from './image-list.query';
import { ImageDetailsView, ImagePage, ImageView } from './image.views';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => storageErrors('IMAGE_NOT_FOUND', 'Image not found') });

const NOT_FOUND: [number, string] = [404, 'IMAGE_NOT_FOUND (or not yours)'];
const IMAGE_BYTES = { schema: { type: 'string', format: 'binary' } } as const;

@Controller('v1/images')
@ApiErrors(503)
export class ImagesController {
  constructor(
    private readonly images: ImagesService,
    private readonly urls: SignedImageUrls,
    private readonly credentials: CredentialVerifier,
    private readonly ratings: RatingsService,
    private readonly quotas: StorageQuotas,
  ) {}

  @Post()
  @Authenticated({ scope: 'images:write' })
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PNG, JPEG or WebP (checked by content)' } } } })
  @ApiCreatedResponse({ type: ImageView })
  @ApiErrors([400, 'FILE_MISSING'], [403, 'STORAGE_QUOTA_EXCEEDED (details: quotaBytes, usedBytes, requiredBytes)'], [413, 'Over the upload size limit'], [415, 'UNSUPPORTED_IMAGE'], [422, 'IMAGE_TOO_LARGE (pixels, decompression bombs), IMAGE_UNDECODABLE'])
  async upload(@CurrentPrincipal() principal: Principal, @UploadedFile() file: Express.Multer.File | undefined): Promise<ImageView> {
    if (!file?.buffer?.length) {
      throw httpErrors('FILE_MISSING', 'Send the image as multipart/form-data in the field "file"');
    }
    return this.images.upload(principal.userId, file.buffer, await this.quotas.of(principal.userId));
  }

  @Get()
  @Authenticated({ scope: 'images:read' })
  @ApiOkResponse({ type: ImagePage, description: 'Uploads and generated images, newest first; deleted ones are left out' })
  @ApiErrors(400)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ImageListQuery): Promise<ImagePage> {
    const page = await this.images.list(principal.userId, query);
    return { items: page.items.map((image) => ({ ...image, url: this.urls.sign(image.id) })), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated({ scope: 'images:read' })
  @ApiOkResponse({ type: ImageDetailsView })
  @ApiErrors(NOT_FOUND)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ImageDetailsView> {
    const image = await this.images.get(principal.userId, id);
    return { ...image, url: this.urls.sign(image.id), ratings: await this.ratings.summary(image.id) };
  }

  /**
   * Public route on purpose: a signed URL (`?expires=&sig=`) works without credentials, so
   * it can sit in an `<img>` tag; without one, a bearer owning the image is required.
   */
  @Public()
  @Get(':id/content')
  // Anonymous (signed URL) or bearer: openapi.ts keeps this instead of marking the route `security: []`.
  @ApiSecurity({})
  @ApiSecurity('bearer')
  @ApiOkResponse({
    description: 'The image bytes',
    headers: {
      ETag: { schema: { type: 'string' } },
      'Cache-Control': { schema: { type: 'string' }, description: 'Signed URL: public until it expires; bearer: private' },
      Vary: { schema: { type: 'string' }, description: 'Authorization, on bearer answers' },
    },
    content: { 'image/png': IMAGE_BYTES, 'image/webp': IMAGE_BYTES, 'image/jpeg': IMAGE_BYTES },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match matched the ETag' })
  @ApiErrors(400, [401, 'Neither a signed URL nor a valid bearer'], [403, 'INVALID_SIGNATURE (expired or wrong), MISSING_SCOPE'], NOT_FOUND)
  async content(
    @Param('id', uuid) id: string,
    @Query() query: ImageContentQuery,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const variant = { format: query.format, width: query.width };
    // Errors (an expired signature, a missing image) are never cached, by anyone.
    response.setHeader('Cache-Control', 'no-store');
    let content: ImageContent;
    let cacheControl: string;
    if (query.sig !== undefined || query.expires !== undefined) {
      const secondsLeft = this.urls.verify(id, query.expires, query.sig);
      content = await this.images.contentByGrant(id, variant);
      // The URL is the grant: any cache (a CDN too) may keep these bytes until it expires, not longer.
      cacheControl = `public, max-age=${secondsLeft}, s-maxage=${secondsLeft}, immutable`;
    } else {
      const principal = await this.credentials.verify(authorization?.replace(/^Bearer\s+/i, '') ?? '').catch(() => {
        throw authErrors('UNAUTHENTICATED', 'A valid access token, API key or signed URL is required');
      });
      if (principal.scopes && !principal.scopes.includes('images:read')) {
        throw authErrors('MISSING_SCOPE', 'This API key lacks the scope images:read', { scope: 'images:read' });
      }
      content = await this.images.content(principal.userId, id, variant);
      // Granted by the bearer: the browser may keep it, a shared cache never.
      cacheControl = 'private, max-age=31536000, immutable';
      response.setHeader('Vary', 'Authorization');
    }
    response.setHeader('ETag', content.etag);
    response.setHeader('Cache-Control', cacheControl);
    if (request.headers['if-none-match'] === content.etag) {
      response.status(304).end();
      return;
    }
    response.setHeader('Content-Type', content.contentType);
    response.setHeader('Content-Length', String(content.bytes.length));
    response.status(200).end(content.bytes);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scope: 'images:write' })
  @ApiNoContentResponse({ description: 'Soft deleted; the bytes are purged later' })
  @ApiErrors(NOT_FOUND)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.images.softDelete(principal.userId, id);
  }
}
