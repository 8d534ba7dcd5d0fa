import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@atelier/platform';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthService } from './auth.service';
import { CredentialVerifier } from './guards/credential-verifier';
import { AuthGuard } from './guards/auth.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { AccessTokens } from './tokens/access-tokens';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RefreshTokens } from './tokens/refresh-tokens';
import { AdminBootstrap } from './users/admin-bootstrap';
import { LoginThrottle } from './users/login-throttle';
import { UserAdministration } from './users/user-administration';
import { PasswordHasher } from './users/password-hasher';
import { UserEntity } from './users/user.entity';
import { UsersRepository } from './users/users.repository';
import { OidcFlowStore } from './oidc/oidc-flow-store';
import { OidcProviderClient } from './oidc/oidc-provider-client';
import { OidcSignIn } from './oidc/oidc-sign-in';
import { UserIdentities } from './oidc/user-identities';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, RefreshTokenEntity, ApiKeyEntity]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.jwtAccessTtlSeconds },
      }),
    }),
  ],
  providers: [
    AuthService,
    UsersRepository,
    PasswordHasher,
    AccessTokens,
    RefreshTokens,
    JwtStrategy,
    AdminBootstrap,
    UserAdministration,
    ApiKeysService,
    CredentialVerifier,
    LoginThrottle,
    OidcProviderClient,
    OidcFlowStore,
    UserIdentities,
    OidcSignIn,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, OidcSignIn, AccessTokens, UserAdministration, ApiKeysService, CredentialVerifier],
})
export class AuthModule {}
