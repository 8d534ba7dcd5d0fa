import type { z } from 'zod';

/** One field at fault, as 422 `details.fields` lists them. */
export interface FieldIssue {
  path: string;
  message: string;
}

const named = (path: string) => `"${path || 'input'}"`;

/** Zod's issue as a sentence that starts with the field's name, e.g. `"width" must be a multiple of 8`. */
function sentence(issue: z.core.$ZodIssue, path: string): string {
  const field = named(path);
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `${field} length must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `${field} must have at most ${issue.maximum} items`
          : `${field} must be less than or equal to ${issue.maximum}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${field} length must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `${field} must have at least ${issue.minimum} items`
          : `${field} must be greater than or equal to ${issue.minimum}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${issue.divisor}`;
    case 'invalid_type':
      return issue.input === undefined ? `${field} is required` : `${field} must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `${field} ${issue.message}` : `${field} must be a valid ${issue.format === 'uuid' ? 'UUID' : issue.format}`;
    case 'custom':
      return `${field} ${issue.message}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** Every issue, one per field; unknown keys each get their own entry. */
export function fieldIssues(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...base, key].join('.');
        return { path, message: `${named(path)} is not allowed` };
      });
    }
    const path = base.join('.');
    return [{ path, message: sentence(issue, path) }];
  });
}
