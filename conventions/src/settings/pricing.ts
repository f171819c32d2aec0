// The operator's price file, read wherever calls are priced (the instrumentation and the sink).
import { optionalText, type Environment } from './setting';

export const PRICING_SETTINGS = {
  file: optionalText(
    ['TOKENMETER_PRICING_FILE'],
    'JSON prices overriding and extending the bundled catalog',
  ),
};

/** The path of the operator's price file, when one is set. */
export const pricingFileFromEnv = (env: Environment = process.env): string | undefined =>
  PRICING_SETTINGS.file.read(env);
