export { createProgram } from './program';
export { collectReport, type Report, type CollectOptions } from './report/collect';
export { formatReport, usd } from './report/format';
export { periodSince, type Period } from './report/period';
export { readReport, runReport, type ReportOptions } from './report/run-report';
export { ReportError, redactUrl } from './report/report-error';
