import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './app-process';

export interface TestAccount {
  email: string;
  emailVerified: boolean;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, for one client.
 * Its login and consent step signs in whichever account the test set with `signInAs`, so a
 * test drives the whole authorization-code flow with plain HTTP requests (`authorize`).
 */
export class OidcTestProvider {
  readonly clientId = 'atelier-test';
  readonly clientSecret = 'atelier-test-secret-0123456789';
  private readonly accounts = new Map<string, TestAccount>();
  private nextAccount?: string;
  private server?: Server;

  private constructor(readonly port: number) {}

  static async reservePort(): Promise<OidcTestProvider> {
    return new OidcTestProvider(await freePort());
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next login at the provider is this subject, with these claims. */
  signInAs(subject: string, account: TestAccount): void {
    this.accounts.set(subject, account);
    this.nextAccount = subject;
  }

  async start(redirectUri: string): Promise<void> {
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      ttl: { Interaction: 300, Grant: 300, Session: 300, AccessToken: 300, IdToken: 300, AuthorizationCode: 60 },
      findAccount: async (_ctx, subject) => {
        const account = this.accounts.get(subject);
        if (!account) return undefined;
        return { accountId: subject, claims: async () => ({ sub: subject, email: account.email, email_verified: account.emailVerified }) };
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    });
    // The login and consent page: signs in the chosen account and grants what the client asked for.
    provider.use(async (ctx, next) => {
      if (!ctx.path.startsWith('/interaction/')) return next();
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      const accountId = this.nextAccount;
      if (!accountId) throw new Error('the test did not say who signs in (signInAs)');
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false }));
    });
    this.server = createServer(provider.callback());
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * A browser's trip from the provider's authorization URL to the callback: follows redirects,
 * keeping the provider's cookies, and returns the callback URL (with code and state) unvisited.
 */
export async function authorize(authorizationUrl: string, callbackPath: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url}: ${response.status} ${(await response.text()).slice(0, 500)}`);
    const next = new URL(location, url);
    if (next.pathname === callbackPath) return next;
    url = next.href;
  }
  throw new Error('too many redirects at the provider');
}
