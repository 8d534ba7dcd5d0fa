export { AtelierClient } from './atelier-client';
export { AtelierError, type Image, type Job, type JobOutput, type JobRequest, type JobStatus, type ProgressEvent, type Session, type User } from './types';
