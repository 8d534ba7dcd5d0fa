import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

const UNTHROTTLED = 'atelier:unthrottled';

/** Exempts a route or controller from the per-user request limit (probes, metrics), and says so in the OpenAPI document. */
export const Unthrottled = () => applyDecorators(SkipThrottle(), SetMetadata(UNTHROTTLED, true));

export function isThrottled(handler: Function, controller: Function): boolean {
  return (Reflect.getMetadata(UNTHROTTLED, handler) ?? Reflect.getMetadata(UNTHROTTLED, controller)) !== true;
}
