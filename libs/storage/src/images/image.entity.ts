import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type ImageSource = 'upload' | 'job';

/** A no-reference quality estimate of an image: the score 0..100, each component 0..1 (noise: 1 is noisiest). */
export interface ImageQuality {
  score: number;
  sharpness: number;
  exposure: number;
  noise: number;
  colorfulness: number;
}

@Entity({ name: 'images' })
export class ImageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'text' })
  format!: ImageFormat;

  @Column({ type: 'integer' })
  width!: number;

  @Column({ type: 'integer' })
  height!: number;

  @Column({ type: 'integer' })
  bytes!: number;

  @Column({ type: 'text' })
  source!: ImageSource;

  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Measured by the worker for generated images (txt2img, img2img); null otherwise. */
  @Column({ type: 'jsonb', nullable: true })
  quality!: ImageQuality | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

/** How the API names a source: `job` rows are the generated images. */
export type ImageSourceName = 'upload' | 'generated';

export interface ImageView {
  id: string;
  source: ImageSourceName;
  width: number;
  height: number;
  format: ImageFormat;
  bytes: number;
  sha256: string;
  jobId?: string;
  quality?: ImageQuality;
  createdAt: string;
}

export const toImageView = (i: ImageEntity): ImageView => ({
  id: i.id,
  source: i.source === 'job' ? 'generated' : 'upload',
  width: i.width,
  height: i.height,
  format: i.format,
  bytes: i.bytes,
  sha256: i.sha256,
  ...(i.jobId ? { jobId: i.jobId } : {}),
  ...(i.quality ? { quality: i.quality } : {}),
  createdAt: i.createdAt.toISOString(),
});
