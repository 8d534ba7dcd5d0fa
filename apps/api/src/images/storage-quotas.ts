import { Injectable, Module } from '@nestjs/common';
import { AuthModule, AuthService } from '@atelier/auth';
import { BillingModule, PlansService } from '@atelier/billing';

/** A user's storage quota: their plan's storageQuotaBytes, which every upload route holds them to. */
@Injectable()
export class StorageQuotas {
  constructor(
    private readonly auth: AuthService,
    private readonly plans: PlansService,
  ) {}

  async of(userId: string): Promise<number> {
    const { plan } = await this.auth.getUser(userId);
    return (await this.plans.get(plan)).storageQuotaBytes;
  }
}

@Module({
  imports: [AuthModule, BillingModule],
  providers: [StorageQuotas],
  exports: [StorageQuotas],
})
export class StorageQuotasModule {}
