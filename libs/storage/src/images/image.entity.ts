import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type ImageSource = 'upload' | 'job';

/** The content classifier's verdict on an image (see `moderate` in docs/API.md). */
export interface ImageModeration {
  labels: Record<string, number>;
  flagged: boolean;
  model: string;
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

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  moderation!: ImageModeration | null;
}

export interface ImageView {
  id: string;
  width: number;
  height: number;
  format: ImageFormat;
  bytes: number;
  sha256: string;
  jobId?: string;
  createdAt: string;
  moderation?: ImageModeration;
}

export const toImageView = (i: ImageEntity): ImageView => ({
  id: i.id,
  width: i.width,
  height: i.height,
  format: i.format,
  bytes: i.bytes,
  sha256: i.sha256,
  ...(i.jobId ? { jobId: i.jobId } : {}),
  createdAt: i.createdAt.toISOString(),
  ...(i.moderation ? { moderation: i.moderation } : {}),
});
