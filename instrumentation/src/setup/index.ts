export { setupTokenmeter, type Tokenmeter, type TokenmeterOptions } from './setup';
