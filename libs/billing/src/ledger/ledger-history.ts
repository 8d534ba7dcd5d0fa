import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@atelier/platform';
import { LedgerEntryEntity, toLedgerEntryView, type LedgerEntryView } from './ledger-entry.entity';

/** A user's ledger, newest first, with an opaque keyset cursor. */
@Injectable()
export class LedgerHistory {
  constructor(@InjectRepository(LedgerEntryEntity) private readonly entries: Repository<LedgerEntryEntity>) {}

  async page(userId: string, cursor: string | undefined, limit = 50): Promise<Page<LedgerEntryView>> {
    const after = decodeCursor(cursor);
    const query = this.entries
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId })
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    if (after) query.andWhere('(e.created_at, e.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toLedgerEntryView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }
}
