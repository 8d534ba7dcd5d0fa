import { DomainError, type DomainErrorKind } from './domain-error';

/** A module's error codes, each with the one kind (and so the one HTTP status) it always has. */
export type ErrorCatalog = Readonly<Record<string, DomainErrorKind>>;

/** Makes the DomainError of a code from the catalog; the compiler refuses a code the catalog lacks. */
export interface ErrorFactory<C extends ErrorCatalog> {
  (code: keyof C & string, message: string, details?: Record<string, unknown>): DomainError;
  readonly codes: C;
}

/**
 * One catalog per module (`jobErrors`, `storageErrors`, …): a condition has one code, a code one
 * kind, and a misspelt code does not compile.
 */
export function errorCatalog<const C extends ErrorCatalog>(codes: C): ErrorFactory<C> {
  const make = (code: keyof C & string, message: string, details?: Record<string, unknown>) =>
    new DomainError(codes[code] as DomainErrorKind, code, message, details);
  return Object.assign(make, { codes });
}

/** The platform's own codes: request shapes every module shares. */
export const platformErrors = errorCatalog({
  BAD_REQUEST: 'bad_request',
  INVALID_CURSOR: 'bad_request',
});
