import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type LedgerKind = 'grant' | 'reserve' | 'capture' | 'release' | 'refund';

/** One append-only ledger line; the balances row is derived from these. */
@Entity({ name: 'ledger_entries' })
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  kind!: LedgerKind;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  period!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export interface LedgerEntryView {
  id: string;
  kind: LedgerKind;
  amount: number;
  jobId?: string;
  reason?: string;
  createdAt: string;
}

export const toLedgerEntryView = (e: LedgerEntryEntity): LedgerEntryView => ({
  id: e.id,
  kind: e.kind,
  amount: e.amount,
  ...(e.jobId ? { jobId: e.jobId } : {}),
  ...(e.reason ? { reason: e.reason } : {}),
  createdAt: e.createdAt.toISOString(),
});
