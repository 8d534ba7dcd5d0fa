import { AssessQualityHandler } from './assess-quality.handler';
import { DetectCorruptionHandler } from './detect-corruption.handler';
import { DetectFacesHandler } from './detect-faces.handler';
import { DetectLinesHandler } from './detect-lines.handler';
import { Img2ImgHandler, Txt2ImgHandler } from './generation.handlers';
import { CropHandler, FilterHandler, ResizeHandler } from './image-operation.handlers';
import { OcrHandler } from './ocr.handler';
import { SmartCropHandler } from './smart-crop.handler';
import { ModerateHandler } from './moderate.handler';
import { RemoveBackgroundHandler } from './remove-background.handler';
import { StylizeHandler } from './stylize.handler';
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
  DetectCorruptionHandler,
  AssessQualityHandler,
  StylizeHandler,
  WorkflowHandler,
  ModerateHandler,
  RemoveBackgroundHandler,
];
