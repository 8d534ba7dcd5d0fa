/**
 * What this server tells ComfyUI clients about itself (`GET /features`, and the answer to a
 * socket's `feature_flags`). No preview metadata: previews are ComfyUI's plain type-1 frames.
 */
export const comfyFeatures = (maxUploadBytes: number) => ({
  supports_preview_metadata: false,
  supports_model_type_tags: false,
  max_upload_size: maxUploadBytes,
  extension: { manager: { supports_v4: false } },
  node_replacements: false,
  assets: false,
});
