// The alert thresholds live with the dashboards' colour levels in ../../display/thresholds.ts.
export { ALERT_THRESHOLDS } from '../../display/thresholds';
