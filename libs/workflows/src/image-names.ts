const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** The name LoadImage takes for an image, and the ComfyUI file name of an output: `<imageId>.png`. */
export const imageName = (imageId: string) => `${imageId}.png`;

/** The image id inside a LoadImage value (`<id>`, `<id>.png`, `sub/<id>.webp`, `<id>.png [input]`), or undefined. */
export const imageIdOf = (value: string): string | undefined => UUID.exec(value)?.[1]?.toLowerCase();
