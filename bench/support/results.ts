import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const FILE = join(process.cwd(), 'bench', 'RESULTS.md');

/** Replaces (or appends) the section under `## <heading>` in bench/RESULTS.md. */
export function writeSection(heading: string, body: string): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  const section = `## ${heading}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${body.trim()}\n`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmark results\n\nEach section is rewritten by its benchmark script.\n';
  const pattern = new RegExp(`## ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(FILE, next);
}
