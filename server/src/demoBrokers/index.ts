/** The demo shop on real brokers, for `pnpm demo:brokers` (scripts/demoBrokers.mjs) and its test. */
export { NameTaken } from './errors.js';
export { openShopOnBrokers, type ShopOnBrokers, type ShopOnBrokersOptions } from './shopOnBrokers.js';
