import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WorkerHeartbeat } from '@atelier/platform';

export class WorkerModelView {
  @ApiProperty({ example: 'blazeface-front' }) id!: string;
  @ApiProperty({ enum: ['hot', 'warm', 'cold'] }) state!: 'hot' | 'warm' | 'cold';
  @ApiProperty({ type: String, nullable: true, example: 'cpu' }) provider!: string | null;
  @ApiProperty() healthy!: boolean;
}

/** One live worker, from its heartbeat. */
export class WorkerView {
  @ApiProperty({ format: 'uuid', description: 'The target of the admin worker routes' }) id!: string;
  @ApiProperty({ type: [String], example: ['cpu', 'gpu'], description: 'The job lanes it takes jobs from' }) lanes!: string[];
  @ApiProperty({ description: 'Drained: it finishes its running jobs and takes no new ones (POST /v1/admin/workers/{id}/resume)' }) draining!: boolean;
  @ApiProperty({ description: 'False once it left rotation because its own jobs kept failing (it takes no jobs and fails its liveness probe until restarted)' }) healthy!: boolean;
  @ApiPropertyOptional({ description: 'Why it is unhealthy' }) unhealthyReason?: string;
  @ApiProperty({ type: [WorkerModelView] }) models!: WorkerModelView[];
  @ApiProperty({ format: 'date-time', description: 'Its last heartbeat (every 5 s; gone after 15 s without one)' }) lastSeen!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
}

export class WorkersView {
  @ApiProperty({ type: [WorkerView] }) workers!: WorkerView[];
  @ApiProperty({ description: 'At least one live worker takes jobs; otherwise jobs wait in the queue' }) available!: boolean;
}

/** The 202 of an admin control route: the message went out; the heartbeat (GET /health/workers) shows its effect. */
export class WorkerCommandView {
  @ApiProperty({ enum: ['drain', 'resume', 'preload', 'unload'] }) command!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent: every worker' }) workerId?: string;
  @ApiPropertyOptional({ example: 'blazeface-front' }) modelId?: string;
}

export function toWorkerView(heartbeat: WorkerHeartbeat): WorkerView {
  return {
    id: heartbeat.workerId,
    lanes: heartbeat.lanes ?? [],
    draining: heartbeat.draining ?? false,
    healthy: heartbeat.healthy ?? true,
    ...(heartbeat.unhealthyReason ? { unhealthyReason: heartbeat.unhealthyReason } : {}),
    models: heartbeat.models.map(({ id, state, provider, healthy }) => ({ id, state, provider, healthy })),
    lastSeen: heartbeat.at,
    startedAt: heartbeat.startedAt,
  };
}

/** The live workers, sorted by id, and whether any of them takes jobs. */
export function toWorkersView(heartbeats: WorkerHeartbeat[]): WorkersView {
  const workers = heartbeats.map(toWorkerView).sort((a, b) => a.id.localeCompare(b.id));
  return { workers, available: workers.some((w) => !w.draining && w.healthy && w.lanes.length > 0) };
}
