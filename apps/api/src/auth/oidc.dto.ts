import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class OidcStartQuery {
  @ApiPropertyOptional({
    description: 'A path of this site to send the browser back to after the sign-in, with `#oidc-ticket=…` (or `#oidc-error=CODE`); without it the callback answers the session as JSON',
    example: '/',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  // A path on this site only: no scheme, no `//host`, no backslash (an open redirect otherwise).
  @Matches(/^\/(?![/\\])[^\\#\s]*$/, { message: 'returnTo must be a path on this site, such as /' })
  returnTo?: string;
}

export class OidcTicketDto {
  @ApiProperty({ maxLength: 100, description: 'The `oidc-ticket` of the URL fragment the callback sent the browser to' })
  @IsString()
  @MaxLength(100)
  ticket!: string;
}

export class OidcInfoView {
  @ApiProperty({ description: 'Whether sign-in with an identity provider is configured' }) enabled!: boolean;
  @ApiPropertyOptional({ description: 'The provider, for a "Sign in with …" button', example: 'Keycloak' }) providerName?: string;
}
