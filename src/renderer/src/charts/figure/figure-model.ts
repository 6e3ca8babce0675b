import type { Role } from '../../../../core/roles.ts';

/**
 * A figure for print as plain vector primitives in points (1/72 in), y down: what the SVG,
 * PDF and PNG exports all draw, so the three cannot differ. Text is Helvetica (a PDF
 * standard font) on its alphabetic baseline; colours are the print theme's, never the UI's.
 */
export interface Paint {
  fill?: string;
  fillOpacity?: number;
  stroke?: string;
  strokeWidth?: number;
  dash?: number[];
  strokeOpacity?: number;
}

export type Primitive =
  | ({ kind: 'path'; subpaths: { points: [number, number][]; closed: boolean }[] } & Paint)
  | ({ kind: 'circle'; cx: number; cy: number; r: number } & Paint)
  | { kind: 'text'; x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' | 'end'; angle: number; fill: string; bold?: boolean };

export interface Figure {
  width: number;
  height: number;
  background: string;
  primitives: Primitive[];
}

/** How a model reads in the legend: its colour (by role) and how its mark is drawn. */
export interface LegendEntry { label: string; role: Role; mark: 'line' | 'dashed' | 'box' | 'point' }

/** Column and full page width of a two-column paper, in points. */
export const FIGURE_WIDTHS = { column: 252, full: 504 } as const;
export type FigureWidth = keyof typeof FIGURE_WIDTHS;

/** The print theme: the light theme's role colours, dark text on white, whatever the UI shows. */
export const PRINT = {
  background: '#ffffff',
  text: '#1c2430',
  muted: '#4a5563',
  grid: '#d9dee5',
  roles: { base: '#1f63d4', rl: '#c8341e', distilled: '#17803d', other: '#7a3fd1' } satisfies Record<Role, string>,
  font: 'Helvetica, Arial, sans-serif',
} as const;
