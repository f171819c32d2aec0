import { SceneCSSGridLayout, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';

/**
 * A row of panels that reflows (docs/features.md E3): as many columns of at least `minWidth` px as fit, so a
 * desktop shows them side by side, a tablet two or three a row and a phone one under the other.
 */
export function responsiveRow(children: SceneObject[], options: { minWidth?: number; height?: number } = {}) {
  return new SceneCSSGridLayout({
    templateColumns: `repeat(auto-fit, minmax(min(${options.minWidth ?? 240}px, 100%), 1fr))`,
    autoRows: `${options.height ?? 140}px`,
    rowGap: 1,
    columnGap: 1,
    children,
  });
}

/**
 * A row of panels side by side in the proportions `weights` (e.g. [1, 2]: the second twice as wide)
 * on a wide screen, one under the other below Grafana's `md` breakpoint. `minWidths` (px) keep a
 * panel at least that wide where the proportions would make it narrower (a tablet).
 */
export function weightedRow(
  children: SceneObject[],
  weights: number[],
  options: { height?: number; minWidths?: number[] } = {}
) {
  return new SceneCSSGridLayout({
    templateColumns: weights
      .map((weight, index) => `minmax(min(${options.minWidths?.[index] ?? 0}px, 100%), ${weight}fr)`)
      .join(' '),
    autoRows: `${options.height ?? 140}px`,
    rowGap: 1,
    columnGap: 1,
    children,
    md: { templateColumns: 'minmax(0, 1fr)', rowGap: 1, columnGap: 1 },
  });
}

/** The page body: rows one under the other, each as tall as its content. */
export function pageBody(rows: SceneObject[]): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: rows.map((body) => new SceneFlexItem({ body })),
  });
}
