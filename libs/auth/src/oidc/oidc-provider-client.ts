import { Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AppConfig, type OidcSettings } from '@atelier/platform';
import { authErrors } from '../auth-errors';
import type { ProvenIdentity } from './user-identities';

/** Seconds any one request to the provider may take before the sign-in answers 503. */
const PROVIDER_TIMEOUT_SECONDS = 5;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

export interface AuthorizationChecks {
  codeVerifier: string;
  state: string;
  nonce: string;
}

/**
 * The identity provider, through openid-client: discovery (kept once it succeeds, tried again
 * after a failure), the authorization URL (PKCE S256, state, nonce) and the code exchange with
 * its checks (state, nonce, ID token signature, issuer, audience). Plain http is allowed only
 * for an issuer on loopback, for local providers and tests.
 */
@Injectable()
export class OidcProviderClient {
  private readonly logger = new Logger('OidcProvider');
  private discovered?: Promise<oidc.Configuration>;

  constructor(private readonly config: AppConfig) {}

  /** The settings, or 404 OIDC_NOT_CONFIGURED when sign-in with a provider is off. */
  get settings(): OidcSettings {
    const settings = this.config.oidc;
    if (!settings) throw authErrors('OIDC_NOT_CONFIGURED', 'Sign-in with an identity provider is not configured on this server');
    return settings;
  }

  async authorizationUrl(redirectUri: string, checks: AuthorizationChecks): Promise<URL> {
    const configuration = await this.configuration();
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
  }

  /** Exchanges the code of `callbackUrl` and returns who signed in, from the ID token and, when it lacks the email, the userinfo endpoint. */
  async exchange(callbackUrl: URL, redirectUri: string, checks: AuthorizationChecks): Promise<ProvenIdentity> {
    const configuration = await this.configuration();
    try {
      const tokens = await oidc.authorizationCodeGrant(
        configuration,
        callbackUrl,
        { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true },
        { redirect_uri: redirectUri },
      );
      const claims = tokens.claims()!;
      let email = claims.email;
      let verified = claims.email_verified;
      if (email === undefined && configuration.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        email = info.email;
        verified = info.email_verified;
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === 'string' ? email : undefined,
        // Only a boolean true counts; some providers send the string "true".
        emailVerified: verified === true || verified === 'true',
      };
    } catch (error) {
      throw this.refusal(error);
    }
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined; // try again at the next sign-in
      throw error;
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuerUrl, clientId, clientSecret } = this.settings;
    const issuer = new URL(issuerUrl);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    try {
      // client_secret_basic: the default method of OpenID Connect client registration.
      return await oidc.discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        execute: loopback && issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      });
    } catch (error) {
      this.logger.warn({ err: describe(error), issuer: issuerUrl }, 'OpenID Connect discovery failed');
      throw authErrors('OIDC_PROVIDER_UNAVAILABLE', 'The identity provider cannot be reached; try again shortly');
    }
  }

  /** The provider unreachable or failing is a 503; its refusal of the code or of the user is a 401. */
  private refusal(error: unknown): Error {
    if (error instanceof oidc.AuthorizationResponseError) {
      return authErrors('OIDC_PROVIDER_DENIED', `The identity provider refused the sign-in: ${error.error}`, { error: error.error });
    }
    if (unreachable(error) || (error instanceof oidc.ResponseBodyError && error.status >= 500)) {
      this.logger.warn({ err: describe(error) }, 'OpenID Connect provider unavailable');
      return authErrors('OIDC_PROVIDER_UNAVAILABLE', 'The identity provider cannot be reached; try again shortly');
    }
    this.logger.warn({ err: describe(error) }, 'OpenID Connect sign-in refused');
    const reason = error instanceof oidc.ResponseBodyError ? error.error : undefined;
    return authErrors('OIDC_CODE_REJECTED', 'The identity provider did not accept this sign-in (the code is invalid, expired or already used); start it again', reason ? { reason } : undefined);
  }
}

/** A network failure or time-out anywhere in the error's cause chain. */
function unreachable(error: unknown): boolean {
  for (let e = error as { name?: string; code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e.code && NETWORK_CODES.has(e.code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
