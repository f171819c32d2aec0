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

/** The page body: rows one under the other, each as tall as its content. */
export function pageBody(rows: SceneObject[]): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: rows.map((body) => new SceneFlexItem({ body })),
  });
}
