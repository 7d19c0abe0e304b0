// The shopper's self-service routes the SDK leaves to the app: enrolment, consent, preferences, channel, loyalty
// card and erasure (docs/api.md, "Shopper self-service"). Errors carry the server's problem detail.
import { BeaconEngineError } from "./sdk/index.js";

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }

  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }

  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }

  if (!response.ok) {
    throw new BeaconEngineError(response.status, parsed?.detail ?? `The server answered ${response.status}.`, parsed?.title);
  }

  return parsed;
}

/** Joins the store: 201 { shopperId, token, advertisement }. */
export const enrol = (storeId, consent) => call("POST", "/api/v1/shoppers", { body: { storeId, consent } });

/** One shopper's routes, with their token. */
export function shopperApi(token) {
  return {
    me: () => call("GET", "/api/v1/me", { token }),
    setConsent: (consent) => call("PUT", "/api/v1/me/consent", { token, body: consent }),
    preferences: () => call("GET", "/api/v1/me/preferences", { token }),
    setPreferences: (preferences) => call("PUT", "/api/v1/me/preferences", { token, body: preferences }),
    channel: () => call("GET", "/api/v1/me/channel", { token }),
    setChannel: (channel) => call("PUT", "/api/v1/me/channel", { token, body: channel }),
    loyalty: () => call("GET", "/api/v1/me/loyalty", { token }),
    linkLoyalty: (loyaltyId) => call("PUT", "/api/v1/me/loyalty", { token, body: { loyaltyId } }),
    unlinkLoyalty: () => call("DELETE", "/api/v1/me/loyalty", { token }),
    erase: () => call("DELETE", "/api/v1/me", { token }),
  };
}
