import type { AtelierClient } from '../../../client/src';
import { describeError } from '../ui/describe-error';
import type { Notice } from './notice';

const OIDC_ERRORS: Record<string, string> = {
  OIDC_EMAIL_UNVERIFIED: 'Your identity provider has not verified your email address. Verify it there, then sign in again.',
  OIDC_STATE_INVALID: 'That sign-in took too long or was already used. Please sign in again.',
  OIDC_CODE_REJECTED: 'The identity provider did not accept the sign-in. Please sign in again.',
  OIDC_PROVIDER_DENIED: 'The sign-in was declined at the identity provider.',
  OIDC_PROVIDER_UNAVAILABLE: 'The identity provider cannot be reached right now. Try again shortly.',
};

/**
 * Sign in / create account, and "Sign in with …" when the server has an identity provider.
 * Signing in swaps this section for the workspace (see main.ts).
 */
export class AuthView {
  private readonly section = document.querySelector<HTMLElement>('#auth')!;
  private readonly form = document.querySelector<HTMLFormElement>('#auth-form')!;

  constructor(
    private readonly api: AtelierClient,
    private readonly notice: Notice,
  ) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const mode = (event.submitter as HTMLButtonElement | null)?.value === 'register' ? 'register' : 'login';
      void this.submit(mode);
    });
  }

  /** Shows the identity provider's button if the server has one, and finishes a sign-in it sent back (`#oidc-ticket=` / `#oidc-error=`). */
  async offerIdentityProvider(): Promise<void> {
    const back = new URLSearchParams(location.hash.slice(1));
    const ticket = back.get('oidc-ticket');
    const refused = back.get('oidc-error');
    if (ticket || refused) history.replaceState(null, '', location.pathname + location.search);
    if (refused) this.notice.error(OIDC_ERRORS[refused] ?? `Sign-in failed (${refused}).`);
    if (ticket) {
      await this.api.signInWithTicket(ticket).catch((error: unknown) => this.notice.error(`Sign-in failed. ${describeError(error)}`));
    }
    const provider = await this.api.identityProvider().catch(() => ({ enabled: false, providerName: undefined }));
    if (!provider.enabled) return;
    const link = document.querySelector<HTMLAnchorElement>('#auth-oidc-link')!;
    link.textContent = `Sign in with ${provider.providerName ?? 'single sign-on'}`;
    link.href = this.api.identityProviderSignInUrl(location.pathname);
    document.querySelector<HTMLElement>('#auth-oidc')!.hidden = false;
  }

  show(visible: boolean): void {
    this.section.hidden = !visible;
    if (visible) this.form.reset();
  }

  private async submit(mode: 'login' | 'register'): Promise<void> {
    const data = new FormData(this.form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || password.length < (mode === 'register' ? 10 : 1)) {
      this.notice.error(mode === 'register' ? 'Enter your email and a password of at least 10 characters.' : 'Enter your email and password.');
      return;
    }
    const buttons = this.form.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      await this.api.signIn(mode, email, password);
      this.notice.clear();
    } catch (error) {
      this.notice.error(`${mode === 'register' ? 'Sign-up' : 'Sign-in'} failed. ${describeError(error)}`);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }
}
