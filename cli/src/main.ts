#!/usr/bin/env node
import { createProgram } from './program';
import { ReportError } from './report/report-error';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof ReportError) {
      console.error(`tokenmeter: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error(
      `tokenmeter: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  });
