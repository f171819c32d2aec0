export {
  withAttribution,
  currentAttribution,
  contextWithAttribution,
  type Attribution,
} from './attribution';
