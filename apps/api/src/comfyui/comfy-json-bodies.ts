import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** The ComfyUI routes that take a JSON body, at the root and under /api. */
const JSON_ROUTES = /^(?:\/api)?\/(?:prompt|queue|interrupt|history|free|internal\/logs\/subscribe)\/?$|^\/api\/jobs(?:\/[^/]+)?\/cancel\/?$/;
/** ComfyUI reads these bodies leniently: an empty or invalid one means "no options". */
const LENIENT_ROUTES = /^(?:\/api)?\/(?:interrupt|free|internal\/logs\/subscribe)\/?$/;

/**
 * ComfyUI parses these bodies as JSON whatever their Content-Type, and clients rely on it:
 * saintno's SDK sends `text/plain`, the official Python example sends none (or a form type).
 * Mounted before the app's JSON parser, so the same size limit applies (413) and other routes are
 * untouched. An empty body is `{}`; invalid JSON is a 400 in the API's error shape.
 */
export function comfyJsonBodies(limit: string): RequestHandler {
  const readText = express.text({ type: () => true, limit });
  return (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'POST' && request.method !== 'PATCH') || !JSON_ROUTES.test(request.path)) return next();
    readText(request, response, (error?: unknown) => {
      if (error) return next(error);
      const text = typeof request.body === 'string' ? request.body : '';
      if (!text.trim()) {
        request.body = {};
        return next();
      }
      try {
        request.body = JSON.parse(text);
      } catch {
        if (LENIENT_ROUTES.test(request.path)) request.body = {};
        else return next(Object.assign(new SyntaxError('The request body is not valid JSON'), { status: 400 }));
      }
      next();
    });
  };
}
