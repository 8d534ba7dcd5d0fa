import type { AtelierClient } from '../../../client/src';
import { describeError } from '../ui/describe-error';
import type { Notice } from './notice';

/** Sign in / create account. Signing in swaps this section for the workspace (see main.ts). */
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
