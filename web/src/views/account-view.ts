import type { AtelierClient } from '../../../client/src';

/** The header's account line: who is signed in, the plan, credits and storage (`GET /v1/billing`). */
export class AccountView {
  private readonly box = document.querySelector<HTMLElement>('#account')!;
  private readonly summary = document.querySelector<HTMLElement>('#account-summary')!;

  constructor(
    private readonly api: AtelierClient,
    onSignOut: () => void,
  ) {
    document.querySelector('#sign-out')!.addEventListener('click', onSignOut);
  }

  show(visible: boolean): void {
    this.box.hidden = !visible;
  }

  async refresh(): Promise<void> {
    const email = this.api.sessions.current?.user.email ?? '';
    try {
      const billing = await this.api.billing();
      const available = billing.balance - billing.reserved;
      const plan = billing.plan.charAt(0).toUpperCase() + billing.plan.slice(1);
      const stored = `${formatBytes(billing.storage.usedBytes)} of ${formatBytes(billing.storage.quotaBytes)} stored`;
      this.summary.textContent = `${email} · ${plan} plan · ${available} credits available${billing.reserved ? ` (${billing.reserved} reserved)` : ''} · ${stored}`;
    } catch {
      this.summary.textContent = email;
    }
  }
}

/** 1536 → "1.5 KiB"; whole units without decimals ("1 GiB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
