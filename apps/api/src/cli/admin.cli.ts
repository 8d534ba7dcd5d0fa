import { DataSource } from 'typeorm';
import { ensureAdminWithDataSource, UserEntity } from '@atelier/auth';
import { databaseCliEnv, runMigrations } from '@atelier/platform';
import { ALL_MIGRATIONS } from '@atelier/migrations';

const USAGE = `usage: npm run admin -- <email>
  Makes <email> an admin. An existing account is promoted (its password unchanged unless one is
  given); a new account needs a password. The password is read from stdin (one line) or from
  ADMIN_PASSWORD, never from the command line, where other users could see it in the process list.
  e.g.  printf '%s\\n' 'a long passphrase' | npm run admin -- root@example.com`;

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  return line ? line : undefined;
}

/** `npm run admin -- <email>`: the CLI way to the first admin (ADMIN_EMAIL at start-up is the other). */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const email = args[0].toLowerCase();
  const env = databaseCliEnv();
  const password = (await readStdin()) ?? process.env.ADMIN_PASSWORD;
  await runMigrations(String(env.DATABASE_URL), ALL_MIGRATIONS, { log: () => undefined });
  const dataSource = new DataSource({ type: 'postgres', url: String(env.DATABASE_URL), entities: [UserEntity] });
  await dataSource.initialize();
  try {
    const outcome = await ensureAdminWithDataSource(dataSource, email, password);
    console.log(`${email}: ${outcome} as admin`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
