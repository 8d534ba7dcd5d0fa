import { AuthUsers1763800000000 } from './1763800000000-auth-users';
import { StorageImages1763800001000 } from './1763800001000-storage-images';
import { Jobs1763800002000 } from './1763800002000-jobs';
import { Billing1763800003000 } from './1763800003000-billing';
import { JobsPriorityIdempotency1763800003500 } from './1763800003500-jobs-priority-idempotency';
import { JobsWebhooks1763800003600 } from './1763800003600-jobs-webhooks';
import { AuthApiKeys1763800004000 } from './1763800004000-auth-api-keys';
import { TemplatesRatings1763800006000 } from './1763800006000-templates-ratings';
import { ComfyUiPrompts1763800008000 } from './1763800008000-comfyui-prompts';
import { JobsResultCacheDeadline1764000300000 } from './1764000300000-jobs-result-cache-deadline';
import { JobsModelUsed1764000301000 } from './1764000301000-jobs-model-used';
import { BillingPlanBudgetsQuotas1764000400000 } from './1764000400000-billing-plan-budgets-quotas';
import { StorageImagesUsage1764000400500 } from './1764000400500-storage-images-usage';
import { JobsStorageQuota1764000401000 } from './1764000401000-jobs-storage-quota';
import { TemplatesSplitRatingVersions1764000402000 } from './1764000402000-templates-split-rating-versions';
import { AuthUserIdentities1764000500000 } from './1764000500000-auth-user-identities';
import { StorageImageModeration1764000600000 } from './1764000600000-storage-image-moderation';
import { StorageImageQuality1764000700000 } from './1764000700000-storage-image-quality';

/** Every migration, in order. Each file belongs to the module that owns its tables. */
export const ALL_MIGRATIONS = [
  AuthUsers1763800000000,
  StorageImages1763800001000,
  Jobs1763800002000,
  Billing1763800003000,
  JobsPriorityIdempotency1763800003500,
  JobsWebhooks1763800003600,
  AuthApiKeys1763800004000,
  TemplatesRatings1763800006000,
  ComfyUiPrompts1763800008000,
  JobsResultCacheDeadline1764000300000,
  JobsModelUsed1764000301000,
  BillingPlanBudgetsQuotas1764000400000,
  StorageImagesUsage1764000400500,
  JobsStorageQuota1764000401000,
  TemplatesSplitRatingVersions1764000402000,
  AuthUserIdentities1764000500000,
  StorageImageModeration1764000600000,
  StorageImageQuality1764000700000,
];
