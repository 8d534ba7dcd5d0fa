import type { AnyJobTypeDefinition } from './job-type-definition';
export type { JobLane } from './job-type-definition';
import { detectFaces, detectLines, ocr } from './definitions/analysis';
import { img2img, txt2img } from './definitions/generation';
import { crop, filter, resize } from './definitions/image-operations';
import { smartCrop } from './definitions/smart-crop';
import { moderate } from './definitions/moderate';
import { removeBackground } from './definitions/remove-background';
import { upscale } from './definitions/upscale';
import { workflow } from './definitions/workflow';

/** Every job type this server accepts. Adding one: a definition file, listed here, and a worker handler. */
export const JOB_TYPE_DEFINITIONS = [txt2img, img2img, upscale, ocr, detectFaces, detectLines, resize, crop, filter, smartCrop, workflow, moderate, removeBackground] as const;

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
