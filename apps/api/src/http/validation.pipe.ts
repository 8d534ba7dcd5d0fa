import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { httpErrors } from './http-errors';

const flatten = (errors: ValidationError[], parent = ''): Array<{ path: string; message: string }> =>
  errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    return [
      ...Object.values(e.constraints ?? {}).map((message) => ({ path, message })),
      ...flatten(e.children ?? [], path),
    ];
  });

/** DTO validation: wrong types or missing fields → 400 with the fields listed; unknown fields refused. */
export const apiValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    return httpErrors('VALIDATION_FAILED', fields.map((f) => f.message).join('; '), { fields });
  },
});
