// Lets plain `node` run this package's TypeScript (examples, benchmark, test fixtures) without a
// build; the hook is shared with @tokenmeter/conventions, whose sources it also maps.
'use strict';
require('../../conventions/scripts/register-ts.js');
