// The dashboards' colours and threshold steps come from the one place the plugin shares (../../display).
export {
  COLOURS,
  DISPLAY_LEVELS,
  accentSteps as accent,
  fallingSteps as fallingThresholds,
  risingSteps as risingThresholds,
  type ThresholdStep,
} from '../../display';
