import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authErrors } from '@atelier/auth';
import { billingErrors } from '@atelier/billing';
import { JOB_END_CODES, jobErrors } from '@atelier/jobs';
import { modelErrors } from '@atelier/models';
import { platformErrors, type ErrorCatalog } from '@atelier/platform';
import { storageErrors } from '@atelier/storage';
import { httpErrors } from '../../apps/api/src/http/http-errors';
import { JOB_OUTCOME_CODES } from '../../apps/api/src/openai/job-outcome';
import { openaiErrors } from '../../apps/api/src/openai/openai-errors';
import { templateErrors } from '../../apps/api/src/templates/template-errors';
import { workerErrors } from '../../apps/worker/src/worker-errors';

const CATALOGS: Record<string, ErrorCatalog> = {
  platform: platformErrors.codes,
  auth: authErrors.codes,
  billing: billingErrors.codes,
  jobs: jobErrors.codes,
  models: modelErrors.codes,
  storage: storageErrors.codes,
  templates: templateErrors.codes,
  http: httpErrors.codes,
  openai: openaiErrors.codes,
  worker: workerErrors.codes,
};

/**
 * One condition, one code: the same code in two catalogs must mean the same kind (status). The one
 * exception is the contract's own: an image that is not yours is 404 on its route and 422 as a job input.
 */
const SAME_CODE_OTHER_KIND = new Set(['IMAGE_NOT_FOUND']);

describe('error codes', () => {
  it('come from the catalogs only: no DomainError is made by hand in server code', () => {
    const files = execFileSync('git', ['ls-files', 'apps', 'libs'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !/\.(medium-)?spec\.ts$/.test(f) && !f.endsWith('domain-error.ts') && !f.endsWith('error-catalog.ts'));
    const offenders = files.filter((f) => /new DomainError\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('have one kind each across the catalogs', () => {
    const kinds = new Map<string, Set<string>>();
    for (const catalog of Object.values(CATALOGS)) {
      for (const [code, kind] of Object.entries(catalog)) kinds.set(code, (kinds.get(code) ?? new Set()).add(kind));
    }
    const ambiguous = [...kinds].filter(([code, set]) => set.size > 1 && !SAME_CODE_OTHER_KIND.has(code)).map(([code]) => code);
    expect(ambiguous).toEqual([]);
  });

  it('are all documented in docs/API.md', () => {
    const api = readFileSync('docs/API.md', 'utf8');
    const codes = [...new Set([...Object.values(CATALOGS).flatMap((c) => Object.keys(c)), ...JOB_END_CODES, ...Object.keys(JOB_OUTCOME_CODES)])];
    expect(codes.filter((code) => !api.includes(`\`${code}\``))).toEqual([]);
  });
});
