import type { AtelierClient } from '../../../client/src';

/** The header's account line: who is signed in, the plan, and credits (`GET /v1/billing`). */
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
      this.summary.textContent = `${email} · ${plan} plan · ${available} credits available${billing.reserved ? ` (${billing.reserved} reserved)` : ''}`;
    } catch {
      this.summary.textContent = email;
    }
  }
}
