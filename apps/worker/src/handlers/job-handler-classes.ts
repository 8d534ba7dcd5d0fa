import { DetectFacesHandler } from './detect-faces.handler';
import { DetectLinesHandler } from './detect-lines.handler';
import { Img2ImgHandler, Txt2ImgHandler } from './generation.handlers';
import { CropHandler, FilterHandler, ResizeHandler } from './image-operation.handlers';
import { OcrHandler } from './ocr.handler';
import { SmartCropHandler } from './smart-crop.handler';
import { ModerateHandler } from './moderate.handler';
import { RemoveBackgroundHandler } from './remove-background.handler';
import { UpscaleHandler } from './upscale.handler';
import { WorkflowHandler } from './workflow.handler';

/** One handler per job type (JobHandlerRegistry stops the worker otherwise). A new type's handler is listed here. */
export const JOB_HANDLER_CLASSES = [
  Txt2ImgHandler,
  Img2ImgHandler,
  UpscaleHandler,
  OcrHandler,
  DetectFacesHandler,
  DetectLinesHandler,
  ResizeHandler,
  CropHandler,
  FilterHandler,
  SmartCropHandler,
  WorkflowHandler,
  ModerateHandler,
  RemoveBackgroundHandler,
];
