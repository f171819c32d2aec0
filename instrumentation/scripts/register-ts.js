// `node -r ./scripts/register-ts.js file.ts` from instrumentation/: the repository's TypeScript
// loader (@tokenmeter/instrumentation resolves to src/).
'use strict';
require('../../scripts/register-ts.js');
