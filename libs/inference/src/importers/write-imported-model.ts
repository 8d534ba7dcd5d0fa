import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { importTfjsModel, readTfjsModel, type TfjsImportSpec } from './import-tfjs-model';

/** `models:prepare` for an import source: converts `modelJsonPath` and writes the ONNX file at `target`. */
export function writeImportedModel(modelJsonPath: string, spec: TfjsImportSpec, target: string, modelId: string): void {
  const { model, readShard } = readTfjsModel(modelJsonPath, spec.shards);
  const bytes = importTfjsModel(model, readShard, spec, modelId);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
}
