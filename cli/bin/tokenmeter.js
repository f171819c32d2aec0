#!/usr/bin/env node
// The `tokenmeter` command (built into dist by `npm run build`).
require('../dist/main.js');
