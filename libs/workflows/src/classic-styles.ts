/** The classical (not neural) styles of the `stylize` job type and the AtelierStylize node. */
export const CLASSIC_STYLES = ['cartoon', 'sketch', 'pencil-color', 'posterize', 'oil'] as const;
export type ClassicStyle = (typeof CLASSIC_STYLES)[number];
