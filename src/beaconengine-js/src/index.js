// BeaconEngine's client SDK for shopper apps. See README.md for the API.
export { BeaconEngineClient, BeaconEngineError, DEFAULT_RECONNECT_DELAYS_MS } from "./client.js";
export { SightingBatcher, toSighting, MAX_PENDING_READINGS } from "./batcher.js";
export { WalletCache, MemoryStorage } from "./wallet.js";
export { deriveIdentity, periodOf, periodBounds, advertisementAt, ROTATION_SCHEME, DEFAULT_PERIOD_SECONDS } from "./rotation.js";
