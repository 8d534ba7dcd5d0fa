/** A node of a TF.js graph model (`modelTopology.node[]`), with typed attribute access. */
export interface TfNodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrJson>;
}

interface TfAttrJson {
  i?: string | number;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  list?: { i?: (string | number)[]; f?: number[]; s?: string[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  tensor?: TfTensorJson;
}

export interface TfTensorJson {
  dtype?: string;
  tensorShape?: { dim?: { size: string | number }[] };
  floatVal?: number[];
  intVal?: number[];
  int64Val?: (string | number)[];
  boolVal?: boolean[];
  tensorContent?: string;
}

export class TfNode {
  readonly name: string;
  readonly op: string;
  /** Data inputs as `node` or `node:index`; control inputs (`^node`) are dropped. */
  readonly inputs: string[];

  constructor(private readonly json: TfNodeJson) {
    this.name = json.name;
    this.op = json.op;
    this.inputs = (json.input ?? []).filter((i) => !i.startsWith('^'));
  }

  has(key: string): boolean {
    return this.json.attr?.[key] !== undefined;
  }

  int(key: string, fallback?: number): number {
    const v = this.json.attr?.[key]?.i;
    if (v === undefined) return this.required(key, fallback);
    return Number(v);
  }

  float(key: string, fallback?: number): number {
    const v = this.json.attr?.[key]?.f;
    if (v === undefined) return this.required(key, fallback);
    return Number(v);
  }

  bool(key: string, fallback = false): boolean {
    return this.json.attr?.[key]?.b ?? fallback;
  }

  str(key: string, fallback?: string): string {
    const v = this.json.attr?.[key]?.s;
    if (v === undefined) return this.required(key, fallback);
    return Buffer.from(v, 'base64').toString('utf8');
  }

  ints(key: string, fallback?: number[]): number[] {
    const v = this.json.attr?.[key]?.list?.i;
    if (v === undefined) return this.required(key, fallback);
    return v.map(Number);
  }

  strs(key: string): string[] {
    return (this.json.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
  }

  type(key: string): string | undefined {
    return this.json.attr?.[key]?.type;
  }

  /** A `shape` attribute; unknown dimensions are -1. */
  shape(key: string): number[] | undefined {
    return this.json.attr?.[key]?.shape?.dim?.map((d) => Number(d.size));
  }

  tensor(key: string): TfTensorJson | undefined {
    return this.json.attr?.[key]?.tensor;
  }

  private required<T>(key: string, fallback: T | undefined): T {
    if (fallback === undefined) throw new Error(`node ${this.name} (${this.op}): attribute ${key} is missing`);
    return fallback;
  }
}
