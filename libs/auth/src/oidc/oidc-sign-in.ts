import { Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { DomainError } from '@atelier/platform';
import { AuthService, type Session } from '../auth.service';
import { authErrors } from '../auth-errors';
import { UsersRepository } from '../users/users.repository';
import { OidcFlowStore } from './oidc-flow-store';
import { OidcProviderClient } from './oidc-provider-client';
import { UserIdentities } from './user-identities';

/** What the callback answers: the session itself (API clients), or where to send the browser back to (a page that started the sign-in). */
export type OidcCompletion = { kind: 'session'; session: Session } | { kind: 'redirect'; location: string };

/**
 * Sign-in with an OpenID Connect provider (authorization code + PKCE). `start` keeps the
 * verifier, state and nonce server-side and sends the browser to the provider; `complete`
 * takes them back by the state (once), exchanges the code, finds or links the account, and
 * opens the same session a password login does. A page gets a single-use ticket in the URL
 * fragment instead of the tokens, so they never appear in a URL or a log.
 */
@Injectable()
export class OidcSignIn {
  constructor(
    private readonly provider: OidcProviderClient,
    private readonly flows: OidcFlowStore,
    private readonly identities: UserIdentities,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
  ) {}

  /** Null when sign-in with a provider is off. */
  get providerName(): string | null {
    try {
      return this.provider.settings.providerName;
    } catch {
      return null;
    }
  }

  async start(redirectUri: string, returnTo?: string): Promise<URL> {
    const { stateTtlSeconds } = this.provider.settings;
    const checks = { codeVerifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    const url = await this.provider.authorizationUrl(redirectUri, checks);
    await this.flows.begin(checks.state, { codeVerifier: checks.codeVerifier, nonce: checks.nonce, redirectUri, returnTo }, stateTtlSeconds);
    return url;
  }

  async complete(callbackUrl: URL): Promise<OidcCompletion> {
    void this.provider.settings; // 404 when off
    const state = callbackUrl.searchParams.get('state');
    if (!state) throw authErrors('OIDC_STATE_INVALID', 'The callback has no state: start the sign-in again');
    const pending = await this.flows.take(state);
    try {
      const identity = await this.provider.exchange(callbackUrl, pending.redirectUri, { codeVerifier: pending.codeVerifier, nonce: pending.nonce, state });
      const user = await this.identities.accountOf(identity);
      if (!pending.returnTo) return { kind: 'session', session: await this.auth.openSession(user) };
      return { kind: 'redirect', location: `${pending.returnTo}#oidc-ticket=${await this.flows.issueTicket(user.id)}` };
    } catch (error) {
      // A page that started the sign-in gets the refusal back, to say what went wrong.
      if (pending.returnTo && error instanceof DomainError) return { kind: 'redirect', location: `${pending.returnTo}#oidc-error=${error.code}` };
      throw error;
    }
  }

  /** The session for a ticket from `complete` (single use, valid for a minute). */
  async redeem(ticket: string): Promise<Session> {
    const user = await this.users.findById(await this.flows.redeemTicket(ticket));
    if (!user) throw authErrors('USER_GONE', 'The account no longer exists');
    return this.auth.openSession(user);
  }
}
