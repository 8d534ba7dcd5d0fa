import { freemem, totalmem } from 'node:os';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@atelier/auth';
import { WorkerControl } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { WorkerHeartbeats } from '../workers/worker-heartbeats';
import { comfyFeatures } from './comfy-features';
import { ComfyNodes } from './comfy-nodes';

/** Folders ComfyUI clients commonly ask for that Atelier has nothing in: listed, and empty. */
const EMPTY_FOLDERS = ['loras', 'vae', 'embeddings'];

/**
 * ComfyUI's catalog and system routes, at the root and under /api: the node catalog, the model
 * folders (a checkpoint is a model id), the server's features, and `/free` as worker control.
 */
@ApiExcludeController()
@Controller(['', 'api'])
export class ComfyCatalogController {
  constructor(
    private readonly nodes: ComfyNodes,
    private readonly heartbeats: WorkerHeartbeats,
    private readonly control: WorkerControl,
    private readonly config: AppConfig,
  ) {}

  @Get('object_info')
  @Authenticated()
  objectInfo(@CurrentPrincipal() principal: Principal): Promise<Record<string, unknown>> {
    return this.nodes.objectInfo(principal.userId);
  }

  /** An unknown class is 200 `{}`, as in ComfyUI: saintno's init() probes for extensions this way. */
  @Get('object_info/:nodeClass')
  @Authenticated()
  async nodeInfo(@CurrentPrincipal() principal: Principal, @Param('nodeClass') nodeClass: string): Promise<Record<string, unknown>> {
    const info = (await this.nodes.objectInfo(principal.userId))[nodeClass];
    return info ? { [nodeClass]: info } : {};
  }

  /** `os` is "posix" (saintno's enum); each live worker is a device. */
  @Get('system_stats')
  @Authenticated()
  async systemStats(): Promise<Record<string, unknown>> {
    const workers = await this.heartbeats.live().catch(() => []);
    return {
      system: {
        os: 'posix',
        ram_total: totalmem(),
        ram_free: freemem(),
        comfyui_version: 'atelier',
        required_frontend_version: '',
        installed_templates_version: '',
        required_templates_version: '',
        python_version: '',
        pytorch_version: '',
        embedded_python: false,
        deploy_environment: 'atelier',
        argv: [],
      },
      devices: workers.map((worker, index) => {
        const provider = worker.models.find((m) => m.provider)?.provider ?? 'cpu';
        return { name: `atelier-worker ${worker.workerId} (${provider})`, type: provider, index, vram_total: 0, vram_free: 0, torch_vram_total: 0, torch_vram_free: 0 };
      }),
    };
  }

  @Get('features')
  @Authenticated()
  features(): Record<string, unknown> {
    return comfyFeatures(this.config.uploadMaxBytes);
  }

  @Get('embeddings')
  @Authenticated()
  embeddings(): string[] {
    return [];
  }

  @Get('extensions')
  @Authenticated()
  extensions(): string[] {
    return [];
  }

  @Get('models')
  @Authenticated()
  modelFolders(): string[] {
    return [...Object.keys(this.nodes.modelFolders()), ...EMPTY_FOLDERS];
  }

  @Get('models/:folder')
  @Authenticated()
  models(@Param('folder') folder: string): string[] {
    const models = this.nodes.modelFolders()[folder];
    if (models) return models;
    if (EMPTY_FOLDERS.includes(folder)) return [];
    throw new NotFoundException(`No model folder ${folder.slice(0, 100)}`);
  }

  /** The newer, "experimental" listing some clients use instead (stable-canvas's getModels). */
  @Get('experiment/models')
  @Authenticated()
  experimentFolders(): Array<{ name: string; folders: string[] }> {
    return this.modelFolders().map((name) => ({ name, folders: [] }));
  }

  @Get('experiment/models/:folder')
  @Authenticated()
  experimentModels(@Param('folder') folder: string): Array<{ name: string; pathIndex: number }> {
    return this.models(folder).map((name) => ({ name, pathIndex: 0 }));
  }

  /** `{unload_models}` / `{free_memory}`: every worker releases its loaded models (admins: it affects every user). */
  @Post('free')
  @HttpCode(200)
  @Authenticated({ admin: true })
  async free(@Body() body: Record<string, unknown>): Promise<void> {
    if (body?.unload_models !== true && body?.free_memory !== true) return;
    const loaded = new Set((await this.heartbeats.live()).flatMap((w) => w.models.filter((m) => m.state !== 'cold').map((m) => m.id)));
    for (const modelId of loaded) await this.control.unloadModel(modelId);
  }

  /** saintno's init() asks for the server log; Atelier streams none to clients. */
  @Patch('internal/logs/subscribe')
  @HttpCode(200)
  @Authenticated()
  subscribeLogs(): void {}
}
