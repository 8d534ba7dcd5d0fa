import { type CostRule, inputJsonSchema, type JobClass, type JobLane, type JobOutputDescription, needsImage } from './job-type-definition';
import { JOB_TYPE_DEFINITIONS, type JobType } from './job-types';

/** One entry of `GET /v1/job-types`: what a client needs to build a form and show a price. */
export interface JobTypeView {
  type: JobType;
  lane: JobLane;
  /** `light` GPU work has its own queue and worker slots, so it never waits behind generations. */
  jobClass: JobClass;
  description: string;
  inputSchema: Record<string, unknown>;
  outputs: JobOutputDescription[];
  needsImage: boolean;
  usesModel: boolean;
  cost: CostRule;
}

let views: JobTypeView[] | undefined;

/** Computed once: the definitions do not change while the process runs. */
export function jobTypeViews(): JobTypeView[] {
  views ??= JOB_TYPE_DEFINITIONS.map((definition) => ({
    type: definition.type,
    lane: definition.lane,
    description: definition.description,
    inputSchema: inputJsonSchema(definition),
    outputs: [...definition.outputs],
    needsImage: needsImage(definition),
    usesModel: definition.usesModel,
    jobClass: definition.jobClass ?? 'heavy',
    cost: { ...definition.cost },
  }));
  return views;
}
