// The registries Grafana's core fills at boot (the standard field options and the standard
// transformations), filled here from what @grafana/data exports, so that field overrides (unit,
// display name, thresholds...) and panel transformations behave as in Grafana.
import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardFieldConfigEditorRegistry,
  standardTransformers,
  standardTransformersRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
  type DataTransformerInfo,
  type FieldConfigPropertyItem,
  type TransformerRegistryItem,
} from '@grafana/data';

type Processor = (value: any, context: any, settings?: any) => any;

const STANDARD_FIELD_OPTIONS: Array<[string, Processor]> = [
  ['unit', unitOverrideProcessor],
  ['min', numberOverrideProcessor],
  ['max', numberOverrideProcessor],
  ['fieldMinMax', booleanOverrideProcessor],
  ['decimals', numberOverrideProcessor],
  ['displayName', displayNameOverrideProcessor],
  ['color', identityOverrideProcessor],
  ['thresholds', thresholdsOverrideProcessor],
  ['mappings', valueMappingsOverrideProcessor],
  ['links', dataLinksOverrideProcessor],
  ['actions', identityOverrideProcessor],
  ['noValue', stringOverrideProcessor],
  ['filterable', booleanOverrideProcessor],
];

export function fillStandardRegistries(): void {
  standardFieldConfigEditorRegistry.setInit(() =>
    STANDARD_FIELD_OPTIONS.map(
      ([id, process]): FieldConfigPropertyItem<any, any, any> => ({
        id,
        path: id,
        name: id,
        process,
        override: () => null,
        editor: () => null,
        shouldApply: () => true,
        settings: {},
      })
    )
  );
  standardTransformersRegistry.setInit(() =>
    // standardTransformers lists some transformations under two names (aliases): one entry per id.
    [...new Map(Object.values(standardTransformers as Record<string, DataTransformerInfo>).map((t) => [t.id, t])).values()].map(
      (transformation): TransformerRegistryItem<any> => ({
        id: transformation.id,
        name: transformation.name,
        description: transformation.description,
        transformation: async () => transformation,
        editor: () => null,
        imageDark: '',
        imageLight: '',
      })
    )
  );
}
