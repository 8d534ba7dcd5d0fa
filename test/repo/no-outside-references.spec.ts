import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A clone of the repository must be complete: no file may send a reader to documents that
 * live outside it (a sibling `shared` folder, planning notes). docs/API.md is the contract.
 */
const ROOT = process.cwd();
const THIS_FILE = 'test/repo/no-outside-references.spec.ts';
/** npm's output, and this file, which names the patterns it looks for. */
const SKIPPED = new Set(['package-lock.json', THIS_FILE]);

/** Each pattern names one kind of outside reference; "seed" alone is fine (random seeds). */
const OUTSIDE_REFERENCES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'the sibling shared folder', pattern: /\.\.\/shared\b/gi },
  { name: 'a document of the shared folder', pattern: /(?<![\w.-])shared\/[A-Z][A-Z0-9_-]*\.md\b/g },
  { name: 'the design card', pattern: /\bdesign\s+cards?\b/gi },
  { name: 'a seed document or design', pattern: /\bseed[\s-]+(?:design|documents?|docs?|spec(?:ification)?s?|cards?|briefs?)\b/gi },
];

interface Finding {
  name: string;
  line: number;
  text: string;
}

/** Whole-text matching, so a phrase that wraps onto the next line is still found. */
function outsideReferencesIn(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const { name, pattern } of OUTSIDE_REFERENCES) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      findings.push({ name, line, text: match[0].replace(/\s+/g, ' ') });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

const namesIn = (text: string) => outsideReferencesIn(text).map((f) => f.name);

function trackedFiles(): string[] {
  const listing = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return listing.split('\0').filter((path) => path && !SKIPPED.has(path));
}

describe('references to documents outside the repository', () => {
  it('recognises each kind of outside reference and leaves random seeds alone', () => {
    expect(namesIn('The contract is `../shared/API.md`.')).toEqual(['the sibling shared folder', 'a document of the shared folder']);
    expect(namesIn('Contract: shared/API.md; notes: docs/API.md.')).toEqual(['a document of the shared folder']);
    expect(namesIn('see shared/STACK.md on its install step')).toEqual(['a document of the shared folder']);
    expect(namesIn("an addition to the Design Card's list")).toEqual(['the design card']);
    expect(namesIn('120 s as the seed design asks')).toEqual(['a seed document or design']);
    expect(namesIn("the seed design's degradation path")).toEqual(['a seed document or design']);
    expect(namesIn('read the seed-documents first')).toEqual(['a seed document or design']);
    expect(outsideReferencesIn('line one\nqueue depth (the seed\ndesign): the wait list')).toEqual([
      { name: 'a seed document or design', line: 2, text: 'seed design' },
    ]);

    for (const legitimate of [
      'without `seed` the job gets one derived from its id',
      'seeded weights; a batch uses seed, seed+1, and `seeds: [1, 2]`',
      'plans (data, seeded here) and SeededRandom',
      'the seed documented in the output; the seed designer of the test',
      'libs/platform is the shared kernel; test/shared/helpers.ts',
      'docs/API.md and docs/ARCHITECTURE.md',
    ]) {
      expect(namesIn(legitimate), legitimate).toEqual([]);
    }
  });

  it('no tracked file points at documents outside the repository', () => {
    const files = trackedFiles();
    expect(files.length, 'git ls-files listed nothing: run the tests from a git checkout').toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const path of files) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, path), 'utf8');
      } catch {
        continue; // tracked but deleted in the working tree, or a submodule folder
      }
      if (text.includes('\0')) continue; // binary
      for (const finding of outsideReferencesIn(text)) offenders.push(`${path}:${finding.line}: ${finding.name} ("${finding.text}")`);
    }
    expect(offenders, 'say it in the repository (docs/API.md is the contract) instead').toEqual([]);
  });
});
