import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../tokens/principal';

/** The caller the guard authenticated. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);
