import type { AnyJobTypeDefinition } from './job-type-definition';
export type { JobClass, JobLane } from './job-type-definition';
import type { JobClass } from './job-type-definition';
import { detectFaces, detectLines, ocr } from './definitions/analysis';
import { assessQuality } from './definitions/assess-quality';
import { detectCorruption } from './definitions/detect-corruption';
import { img2img, txt2img } from './definitions/generation';
import { crop, filter, resize } from './definitions/image-operations';
import { smartCrop } from './definitions/smart-crop';
import { moderate } from './definitions/moderate';
import { removeBackground } from './definitions/remove-background';
import { stylize } from './definitions/stylize';
import { upscale } from './definitions/upscale';
import { workflow } from './definitions/workflow';

/** Every job type this server accepts. Adding one: a definition file, listed here, and a worker handler. */
export const JOB_TYPE_DEFINITIONS = [txt2img, img2img, upscale, ocr, detectFaces, detectLines, resize, crop, filter, smartCrop, detectCorruption, assessQuality, stylize, workflow, moderate, removeBackground] as const;

export type JobTypeDefinitions = (typeof JOB_TYPE_DEFINITIONS)[number];
export type JobType = JobTypeDefinitions['type'];
export const JOB_TYPES: readonly JobType[] = JOB_TYPE_DEFINITIONS.map((d) => d.type);

const BY_TYPE = new Map<string, AnyJobTypeDefinition>();
for (const definition of JOB_TYPE_DEFINITIONS) {
  if (BY_TYPE.has(definition.type)) throw new Error(`job type ${definition.type} is defined twice`);
  BY_TYPE.set(definition.type, definition as AnyJobTypeDefinition);
}

/** Each definition by its type name, typed: `JOB_TYPE_BY_NAME['smart-crop'].input` is that type's schema. */
export const JOB_TYPE_BY_NAME = Object.fromEntries(JOB_TYPE_DEFINITIONS.map((d) => [d.type, d])) as {
  [D in JobTypeDefinitions as D['type']]: D;
};

export const isJobType = (type: unknown): type is JobType => typeof type === 'string' && BY_TYPE.has(type);

export function jobTypeDefinition(type: JobType): AnyJobTypeDefinition {
  return BY_TYPE.get(type)!;
}

export const laneOf = (type: JobType) => jobTypeDefinition(type).lane;

/** The class of a type's work: `light` GPU work has a queue and worker slots of its own. */
export const jobClassOf = (type: JobType): JobClass => jobTypeDefinition(type).jobClass ?? 'heavy';

/** The Bull queue a type's jobs wait in (see queue/queue-names.ts). */
export const queueOf = (type: JobType): 'gpu' | 'gpu-light' | 'cpu' => {
  const lane = laneOf(type);
  return lane === 'gpu' && jobClassOf(type) === 'light' ? 'gpu-light' : lane;
};

/** The types that share a queue with this one (queue position counts only those). */
export const typesInQueueOf = (type: JobType): JobType[] => JOB_TYPES.filter((t) => queueOf(t) === queueOf(type));
