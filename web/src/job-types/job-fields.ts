import type { InputPropertySchema, JobTypeInfo } from '../../../client/src';

/**
 * The fields of the job form, read from a job type's input schema (`GET /v1/job-types`):
 * which control, its bounds, default and hint. Pure data, so it is unit-tested without a page;
 * views/job-fields-view.ts draws it.
 */
export type FieldControl = 'number' | 'select' | 'text' | 'textarea' | 'checkbox' | 'template' | 'json';

export interface FieldOption {
  value: string;
  label: string;
}

export interface JobField {
  name: string;
  label: string;
  control: FieldControl;
  /** How the value goes into the input: as typed, or parsed. */
  valueType: 'string' | 'integer' | 'number' | 'boolean' | 'json';
  required: boolean;
  /** The form's starting value: the schema's default, as the control shows it. */
  initial: string;
  hint?: string;
  options?: FieldOption[];
  min?: number;
  max?: number;
  /** For number inputs: `any`, or the schema's multipleOf (1 for integers). */
  step?: string;
  maxLength?: number;
  /** Shown only while a template is (or is not) chosen: the template replaces the prompt. */
  when?: 'template' | 'no-template';
}

/** The source image: the form's drop zone, not a field of its own. */
const IMAGE_PROPERTY = 'imageId';
/** The template picker; with a template chosen these replace the prompt. */
const TEMPLATE_PROPERTY = 'templateId';
const WITH_TEMPLATE = new Set(['subject', 'templateVersion']);
const WITHOUT_TEMPLATE = new Set(['prompt']);
/** Strings this long get a text area. */
const LONG_TEXT = 1000;

const LABELS: Record<string, string> = { templateId: 'Template', templateVersion: 'Template version' };

/** "negativePrompt" → "Negative prompt". */
export function labelOf(name: string): string {
  if (LABELS[name]) return LABELS[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form fields of a job type, in the schema's order; properties no control can edit (objects, lists) are left out. */
export function fieldsOf(jobType: JobTypeInfo): JobField[] {
  const { properties, required = [] } = jobType.inputSchema;
  const fields: JobField[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    if (name === IMAGE_PROPERTY) continue;
    const field = fieldOf(name, schema, required.includes(name));
    if (field) fields.push(field);
  }
  return fields;
}

function fieldOf(name: string, schema: InputPropertySchema, required: boolean): JobField | null {
  const base = {
    name,
    label: labelOf(name),
    required,
    initial: schema.default === undefined ? '' : String(schema.default),
    ...(schema.description ? { hint: schema.description } : {}),
    ...(WITH_TEMPLATE.has(name) ? { when: 'template' as const } : WITHOUT_TEMPLATE.has(name) ? { when: 'no-template' as const } : {}),
  };
  const valueType = schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean' ? schema.type : 'string';
  if (name === TEMPLATE_PROPERTY) return { ...base, control: 'template', valueType: 'string', when: undefined };
  if (schema['x-json-editor']) return { ...base, control: 'json', valueType: 'json', initial: '' };
  if (schema.enum) {
    const options = schema.enum.map((value) => ({ value: String(value), label: String(value) }));
    // An optional choice without a default can be left out: the first option is "not set".
    return { ...base, control: 'select', valueType, options: required || schema.default !== undefined ? options : [{ value: '', label: '(default)' }, ...options] };
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return {
        ...base,
        control: 'number',
        valueType,
        ...(schema.minimum !== undefined ? { min: schema.minimum } : {}),
        ...(schema.maximum !== undefined ? { max: schema.maximum } : {}),
        step: schema.multipleOf !== undefined ? String(schema.multipleOf) : schema.type === 'integer' ? '1' : 'any',
      };
    case 'boolean':
      return { ...base, control: 'checkbox', valueType, initial: schema.default === true ? 'true' : '' };
    case 'string':
    case undefined:
      return {
        ...base,
        control: (schema.maxLength ?? 0) >= LONG_TEXT ? 'textarea' : 'text',
        valueType: 'string',
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
      };
    default:
      return null; // objects and arrays (template variables): the API's defaults apply
  }
}

/** Whether the field is in play, given whether a template is chosen. */
export function isActive(field: JobField, templateChosen: boolean): boolean {
  return field.when === undefined || (field.when === 'template') === templateChosen;
}

/**
 * The job input from the form's values (by field name, as the controls hold them): blank
 * values are left out so the API's defaults apply; numbers and booleans are parsed. What is
 * wrong beyond that (a bound, a missing field) the API says with a 422 and its fields.
 */
export function inputOf(jobType: JobTypeInfo, values: ReadonlyMap<string, string>, imageId: string | null): Record<string, unknown> {
  const templateChosen = !!values.get(TEMPLATE_PROPERTY)?.trim();
  const input: Record<string, unknown> = {};
  if (jobType.needsImage || IMAGE_PROPERTY in jobType.inputSchema.properties) {
    if (imageId) input[IMAGE_PROPERTY] = imageId;
  }
  for (const field of fieldsOf(jobType)) {
    if (!isActive(field, templateChosen)) continue;
    const raw = (values.get(field.name) ?? '').trim();
    if (field.valueType === 'boolean') {
      input[field.name] = raw === 'true';
      continue;
    }
    if (raw === '') continue;
    input[field.name] = field.valueType === 'json' ? parseJson(field, raw) : field.valueType === 'integer' || field.valueType === 'number' ? Number(raw) : raw;
  }
  return input;
}

/** A pasted JSON document; a syntax error names the field, as the API's 422 would. */
function parseJson(field: JobField, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`${field.label} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A one-line summary of a job's input, for job cards and the image detail view: the prompt,
 * then the other values by name (the same order whichever way the server's JSON listed them).
 */
export function describeInput(input: Record<string, unknown> | undefined): string {
  if (!input) return '';
  const { imageId: _imageId, prompt, ...rest } = input;
  const params = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, value]) => value !== undefined && value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key} ${String(value)}`);
  return [prompt ? `“${String(prompt)}”` : '', ...params].filter(Boolean).join(' · ');
}

/** The groups of the job type picker, from what each type does. */
export function groupOf(jobType: JobTypeInfo): 'Generate' | 'Image operations' | 'Analysis' {
  if (jobType.outputs.length && jobType.outputs.every((o) => o.kind === 'json')) return 'Analysis';
  return jobType.lane === 'gpu' ? 'Generate' : 'Image operations';
}
