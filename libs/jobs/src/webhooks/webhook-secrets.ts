import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newWebhookSecret } from './webhook-signature';

/** One signing secret per user, made on first use (`GET /v1/webhooks/secret`). */
@Injectable()
export class WebhookSecrets {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async secretOf(userId: string): Promise<string> {
    await this.dataSource.query(`INSERT INTO webhook_secrets (user_id, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [userId, newWebhookSecret()]);
    const [row] = (await this.dataSource.query(`SELECT secret FROM webhook_secrets WHERE user_id = $1`, [userId])) as [{ secret: string }];
    return row.secret;
  }
}
