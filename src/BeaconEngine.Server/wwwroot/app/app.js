// The shopper's app on the JavaScript SDK (served from /app/sdk/): join with consent, the live wallet, the code the
// till scans, the shopper's settings and erasure. The wallet works offline: the SDK keeps it in local storage and
// the service worker keeps the app's files.
import { BeaconEngineClient, BeaconEngineError } from "./sdk/index.js";
import { enrol, shopperApi } from "./api.js";
import { code128Svg, fitBarcode } from "./code128.js";

const SESSION_KEY = "beaconengine.app.session";

// How often the wallet is read again: the till's redemption is not pushed, so the app asks; faster while a
// coupon is open (the shopper is at the till), and never while offline.
const POLL_MS = 10_000;
const POLL_OPEN_MS = 2_000;
const RETRY_MS = [2_000, 5_000, 10_000, 30_000];
const LEAVING_MS = 4_000;

const $ = (id) => document.getElementById(id);

const state = {
  session: null,
  client: null,
  api: null,
  online: false,
  shown: new Map(), // couponId -> coupon, as last drawn
  closedHere: new Set(), // dismissed or "not relevant" on this phone: not "redeemed" when they go
  arrivals: new Map(), // couponId -> { coupon, at }, coupons pushed live, in case a wallet read raced them
  open: null, // the coupon in the dialog
  pollTimer: null,
  retryTimer: null,
  retries: 0,
  signature: null, // the coupons last drawn, as "id:status,..."
};

// ---------- session ----------

function loadSession() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
    return session?.token ? session : null;
  } catch {
    return null;
  }
}

function saveSession(session) {
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/** Everything this app kept on the phone: the session and the SDK's wallet copy. */
function forgetEverything() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("beaconengine.")) {
      localStorage.removeItem(key);
    }
  }
}

// ---------- views ----------

function show(view) {
  for (const id of ["join", "wallet", "settings"]) {
    $(id).hidden = id !== view;
  }
}

function setStoreName(name) {
  $("store-name").textContent = name;
  document.title = `${name}: coupons`;
}

function setConnection(text) {
  const el = $("connection");
  el.hidden = !text;
  el.textContent = text ?? "";
}

function notice(text, action, couponId) {
  const box = document.createElement("div");
  box.className = "notice";
  if (couponId) {
    box.dataset.couponId = couponId;
  }

  const p = document.createElement("p");
  p.textContent = text;
  box.append(p);
  const buttons = document.createElement("div");
  buttons.className = "row";
  if (action) {
    const open = document.createElement("button");
    open.type = "button";
    open.className = "primary";
    open.textContent = action.label;
    open.addEventListener("click", () => {
      box.remove();
      action.run();
    });
    buttons.append(open);
  }

  const close = document.createElement("button");
  close.type = "button";
  close.className = "ghost";
  close.textContent = "Close";
  close.setAttribute("aria-label", `Close: ${text}`);
  close.addEventListener("click", () => box.remove());
  buttons.append(close);
  box.append(buttons);
  $("notices").append(box);
  if (!action) {
    setTimeout(() => box.remove(), 8_000);
  }
}

/** The "new coupon" notice of a coupon the shopper has seen or that has gone. */
function clearNotices(couponId) {
  for (const box of document.querySelectorAll("#notices .notice")) {
    if (box.dataset.couponId === couponId) {
      box.remove();
    }
  }
}

// ---------- coupons ----------

function discountText(discount) {
  if (!discount) {
    return "";
  }

  return discount.kind === "percent" ? `${discount.value}% off` : `${Number(discount.value).toFixed(2)} off`;
}

function timeText(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The coupons to draw: the SDK's live wallet, plus any pushed while a wallet read was on its way. */
function liveCoupons() {
  const coupons = state.client?.wallet() ?? [];
  const ids = new Set(coupons.map((c) => c.couponId));
  const now = Date.now();
  for (const { coupon } of state.arrivals.values()) {
    if (!ids.has(coupon.couponId) && !state.closedHere.has(coupon.couponId) && Date.parse(coupon.expiresAt) > now) {
      coupons.unshift(coupon);
    }
  }

  return coupons;
}

function couponItem(coupon) {
  const li = document.createElement("li");
  li.className = "coupon";
  li.dataset.couponId = coupon.couponId;
  const button = document.createElement("button");
  button.type = "button";
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = coupon.title;
  if (coupon.status === "issued") {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "New";
    title.append(" ", badge);
  }

  const discount = document.createElement("span");
  discount.className = "discount-line";
  discount.textContent = discountText(coupon.discount);
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = `Valid until ${timeText(coupon.expiresAt)}`;
  button.append(title, discount, meta);
  button.addEventListener("click", () => openCoupon(coupon.couponId));
  li.append(button);
  return li;
}

/** A coupon that left the wallet without this phone closing it: the till redeemed it, or it expired. */
function leavingItem(coupon, reason) {
  const li = document.createElement("li");
  li.className = `coupon leaving ${reason}`;
  li.dataset.couponId = coupon.couponId;
  li.dataset.state = reason;
  const box = document.createElement("div");
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = coupon.title;
  const what = document.createElement("span");
  what.className = "state";
  what.textContent = reason === "expired" ? " · Expired" : " · Redeemed at the till";
  box.append(title, what);
  li.append(box);
  setTimeout(() => li.classList.add("gone"), LEAVING_MS);
  setTimeout(() => {
    li.remove();
    updateEmpty();
  }, LEAVING_MS + 700);
  return li;
}

function render() {
  const list = $("coupons");
  const coupons = liveCoupons();
  const now = Date.now();
  const visible = new Set(coupons.map((c) => c.couponId));

  // Coupons drawn before and gone now: say why, and let them leave visibly.
  const leaving = [];
  for (const [id, coupon] of state.shown) {
    if (!visible.has(id) && !state.closedHere.has(id)) {
      leaving.push([coupon, Date.parse(coupon.expiresAt) <= now ? "expired" : "redeemed"]);
    }
  }

  // Redrawn only when something changed, and the focused coupon keeps the focus: a poll must not pull the
  // keyboard's or the screen reader's place from under the shopper.
  const signature = coupons.map((c) => `${c.couponId}:${c.status}`).join(",");
  if (signature !== state.signature) {
    state.signature = signature;
    const focused = document.activeElement?.closest?.("#coupons li.coupon")?.dataset.couponId;
    for (const item of [...list.querySelectorAll("li.coupon:not(.leaving)")]) {
      item.remove();
    }

    const fragment = document.createDocumentFragment();
    for (const coupon of coupons) {
      fragment.append(couponItem(coupon));
    }

    list.prepend(fragment);
    if (focused) {
      (list.querySelector(`li.coupon:not(.leaving)[data-coupon-id="${CSS.escape(focused)}"] button`) ?? $("wallet-title")).focus();
    }
  }

  for (const [coupon, reason] of leaving) {
    clearNotices(coupon.couponId);
    list.append(leavingItem(coupon, reason));
    notice(reason === "expired" ? `“${coupon.title}” expired.` : `“${coupon.title}” was redeemed at the till.`);
    if (state.open?.couponId === coupon.couponId) {
      couponLeft(reason);
    }
  }

  state.shown = new Map(coupons.map((c) => [c.couponId, c]));
  updateEmpty();
}

function updateEmpty() {
  $("empty").hidden = $("coupons").children.length > 0;
}

// ---------- the coupon dialog ----------

function openCoupon(couponId) {
  const coupon = state.shown.get(couponId);
  if (!coupon) {
    return;
  }

  state.open = coupon;
  clearNotices(couponId);
  $("coupon-title").textContent = coupon.title;
  $("coupon-discount").textContent = discountText(coupon.discount);
  $("coupon-description").textContent = coupon.description ?? "";
  $("coupon-code").textContent = coupon.code;
  $("coupon-expiry").textContent = `Valid until ${timeText(coupon.expiresAt)}. Show this code at the till.`;
  $("coupon-state").textContent = "";
  $("coupon-error").textContent = "";
  $("coupon-barcode").replaceChildren(code128Svg(coupon.code, { label: `Barcode for the till, code ${coupon.code}` }));
  for (const id of ["coupon-dismiss", "coupon-not-relevant"]) {
    $(id).disabled = false;
  }

  $("coupon").showModal();
  fitBarcode($("coupon-barcode").querySelector("svg"), $("coupon-barcode"));

  // Opening it is the moment it reached the shopper (the brand's "opened").
  if (coupon.status === "issued") {
    state.client.ack(coupon.couponId).then(render).catch(() => {});
  }

  schedulePoll(0);
}

function couponLeft(reason) {
  $("coupon-state").textContent = reason === "expired" ? "This coupon has expired." : "Redeemed at the till. Thank you!";
  for (const id of ["coupon-dismiss", "coupon-not-relevant"]) {
    $(id).disabled = true;
  }
}

function closeCoupon() {
  const dialog = $("coupon");
  if (dialog.open) {
    dialog.close();
  }
}

async function closeHere(action, message) {
  const coupon = state.open;
  if (!coupon) {
    return;
  }

  $("coupon-error").textContent = "";
  try {
    state.closedHere.add(coupon.couponId);
    await action(coupon.couponId);
  } catch (error) {
    state.closedHere.delete(coupon.couponId);
    $("coupon-error").textContent = error instanceof TypeError
      ? "You are offline: try again when you are connected."
      : error.message;
    return;
  }

  state.arrivals.delete(coupon.couponId);
  closeCoupon();
  render();
  notice(message);
  $("wallet-title").focus();
}

$("coupon-close").addEventListener("click", closeCoupon);
$("coupon").addEventListener("close", () => {
  // The dialog would give the focus back to the button that opened it, but the list may have been drawn again
  // meanwhile (opening acknowledges the coupon, which redraws it): give it to that coupon's button as it is now.
  const couponId = state.open?.couponId;
  state.open = null;
  const button = couponId && $("coupons").querySelector(`li.coupon:not(.leaving)[data-coupon-id="${CSS.escape(couponId)}"] button`);
  (button || $("wallet-title")).focus();
  schedulePoll();
});
$("coupon-dismiss").addEventListener("click", () => closeHere((id) => state.client.dismiss(id), "Coupon dismissed."));
$("coupon-not-relevant").addEventListener("click", () =>
  closeHere((id) => state.client.notRelevant(id), "Got it: no more offers like this one."));

// ---------- the live connection ----------

async function refresh() {
  const started = performance.now();
  try {
    await state.client.refreshWallet();
  } catch (error) {
    if (error instanceof BeaconEngineError && error.status === 401) {
      signedOut("This phone is no longer signed in to the store. Join again to get coupons.");
      return;
    }

    throw error;
  }

  // A coupon pushed while the read was on its way may be missing from it: keep it, and read again soon.
  let raced = false;
  for (const [id, arrival] of state.arrivals) {
    if (arrival.at < started || state.client.wallet().some((c) => c.couponId === id)) {
      state.arrivals.delete(id);
    } else {
      raced = true;
    }
  }

  render();
  if (raced) {
    schedulePoll(500);
  }
}

function schedulePoll(delay) {
  clearTimeout(state.pollTimer);
  if (!state.client || !state.online) {
    return;
  }

  const wait = delay ?? (state.open ? POLL_OPEN_MS : POLL_MS);
  state.pollTimer = setTimeout(async () => {
    try {
      await refresh();
    } catch {
      // The next poll, or the reconnection, tries again.
    }

    schedulePoll();
  }, wait);
}

function setOnline(online) {
  state.online = online;
  setConnection(online ? "Live" : "Offline: showing your saved coupons");
  if (online) {
    state.retries = 0;
    schedulePoll();
  }
}

async function connect() {
  clearTimeout(state.retryTimer);
  const client = state.client;
  try {
    await refresh();
    if (state.client !== client) {
      return;
    }

    await client.connect();
    setOnline(true);
  } catch {
    if (state.client !== client) {
      return;
    }

    // Offline or the server is away: the saved wallet shows, and the app tries again.
    render();
    setOnline(false);
    const wait = RETRY_MS[Math.min(state.retries++, RETRY_MS.length - 1)];
    state.retryTimer = setTimeout(connect, wait);
  }
}

function startClient(session) {
  const client = new BeaconEngineClient({ baseUrl: location.origin, token: session.token, storage: localStorage });
  state.client = client;
  state.api = shopperApi(session.token);
  client.on("coupon", (coupon, { redelivered }) => {
    state.arrivals.set(coupon.couponId, { coupon, at: performance.now() });
    render();
    if (!redelivered) {
      notice(`New coupon: ${coupon.title}, ${discountText(coupon.discount)}`, { label: "Open", run: () => openCoupon(coupon.couponId) }, coupon.couponId);
    }
  });
  client.on("reconnecting", () => setConnection("Reconnecting…"));
  client.on("reconnected", () => {
    setOnline(true);
    refresh().catch(() => {});
  });
  client.on("disconnected", () => {
    if (state.client === client && state.online) {
      setOnline(false);
      state.retryTimer = setTimeout(connect, RETRY_MS[0]);
    }
  });
  connect();
}

async function stopClient() {
  clearTimeout(state.pollTimer);
  clearTimeout(state.retryTimer);
  const client = state.client;
  state.client = null;
  state.api = null;
  state.online = false;
  state.shown = new Map();
  state.signature = null;
  state.arrivals.clear();
  state.closedHere.clear();
  await client?.close().catch(() => {});
}

window.addEventListener("resize", () => {
  const svg = $("coupon-barcode").querySelector("svg");
  if (svg && $("coupon").open) {
    fitBarcode(svg, $("coupon-barcode"));
  }
});

window.addEventListener("online", () => {
  if (state.client && !state.online) {
    connect();
  }
});

// ---------- joining ----------

function showJoin({ storeId, storeName, erased = false } = {}) {
  const params = new URLSearchParams(location.search);
  const store = storeId ?? params.get("store");
  const name = storeName ?? params.get("name") ?? store;
  setStoreName(name ?? "Store coupons");
  setConnection(null);
  $("join-store").textContent = name ?? "a store";
  $("store-field").hidden = Boolean(store);
  $("store-id").value = store ?? "";
  $("join-proximity").checked = false;
  $("join-offers").checked = false;
  $("join-error").textContent = "";
  $("erased-note").hidden = !erased;
  show("join");
}

$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const storeId = $("store-id").value.trim();
  const error = $("join-error");
  error.textContent = "";
  if (!storeId) {
    error.textContent = "Enter the store code from the link or the QR code.";
    $("store-id").focus();
    return;
  }

  const button = $("join-button");
  button.disabled = true;
  try {
    const consent = { proximity: $("join-proximity").checked, offers: $("join-offers").checked };
    const joined = await enrol(storeId, consent);
    const params = new URLSearchParams(location.search);
    const storeName = params.get("store") === storeId ? params.get("name") ?? storeId : storeId;
    state.session = { token: joined.token, shopperId: joined.shopperId, storeId, storeName, advertisement: joined.advertisement };
    saveSession(state.session);
    history.replaceState(null, "", "/app/");
    enterWallet();
  } catch (e) {
    error.textContent = e instanceof TypeError ? "You are offline: joining needs a connection." : e.message;
  } finally {
    button.disabled = false;
  }
});

function enterWallet() {
  setStoreName(state.session.storeName ?? state.session.storeId);
  show("wallet");
  startClient(state.session);
}

async function signedOut(message) {
  const { storeId, storeName } = state.session ?? {};
  await stopClient();
  forgetEverything();
  state.session = null;
  $("coupons").replaceChildren();
  $("notices").replaceChildren();
  showJoin({ storeId, storeName });
  $("join-error").textContent = message;
}

// ---------- settings ----------

const list = (text) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);

function result(form, text, bad = false) {
  const el = form.querySelector(".result");
  el.textContent = text;
  el.classList.toggle("bad", bad);
}

function failure(error) {
  return error instanceof TypeError ? "You are offline: try again when you are connected." : error.message;
}

async function openSettings() {
  show("settings");
  $("settings-title").focus();
  for (const form of document.querySelectorAll("#settings form")) {
    result(form, "");
  }

  // The forms wait for what the server holds, so nothing typed meanwhile is overwritten.
  const controls = [...document.querySelectorAll("#settings form input, #settings form button")];
  const section = $("settings");
  section.setAttribute("aria-busy", "true");
  for (const control of controls) {
    control.disabled = true;
  }

  const ad = state.session.advertisement ?? {};
  $("signal-uuid").textContent = ad.uuid ?? "";
  $("signal-major").textContent = ad.major ?? "";
  $("signal-minor").textContent = ad.minor ?? "";

  const api = state.api;
  try {
    const [me, preferences, channel, loyalty] = await Promise.all([api.me(), api.preferences(), api.channel(), api.loyalty()]);
    $("consent-proximity").checked = me.consent.proximity;
    $("consent-offers").checked = me.consent.offers;
    $("interests").value = (preferences.interests ?? []).join(", ");
    $("never-offer").value = (preferences.neverOffer ?? []).join(", ");
    $("quiet-from").value = preferences.quietHours?.from ?? "";
    $("quiet-to").value = preferences.quietHours?.to ?? "";
    $(channel.kind === "push" ? "channel-push" : "channel-app").checked = true;
    $("loyalty-id").value = loyalty.loyaltyId ?? "";
  } catch (error) {
    result($("consent-form"), failure(error), true);
  } finally {
    for (const control of controls) {
      control.disabled = false;
    }

    section.removeAttribute("aria-busy");
  }
}

$("open-settings").addEventListener("click", openSettings);
$("close-settings").addEventListener("click", () => {
  show("wallet");
  $("wallet-title").focus();
});

$("consent-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  try {
    await state.api.setConsent({ proximity: $("consent-proximity").checked, offers: $("consent-offers").checked });
    result(form, "Your choices are saved.");
  } catch (error) {
    result(form, failure(error), true);
  }
});

$("preferences-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const from = $("quiet-from").value;
  const to = $("quiet-to").value;
  if (Boolean(from) !== Boolean(to)) {
    result(form, "Give both quiet-hour times, or leave both empty.", true);
    return;
  }

  try {
    // PUT replaces the preferences whole: keep what this screen does not show (needs, loyalty tier, ...).
    const current = (await state.api.preferences()).raw ?? {};
    await state.api.setPreferences({
      ...current,
      interests: list($("interests").value),
      neverOffer: list($("never-offer").value),
      quietHours: from ? { from, to } : null,
    });
    result(form, "Your preferences are saved.");
  } catch (error) {
    result(form, failure(error), true);
  }
});

$("channel-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const kind = $("channel-push").checked ? "push" : "inApp";
  try {
    await state.api.setChannel({ kind });
    result(form, kind === "push" ? "Coupons also come as notifications." : "Coupons come in this app only.");
  } catch (error) {
    // 409: the retailer has no push service; say so in the shopper's words, not the server's setting.
    const conflict = error instanceof BeaconEngineError && error.status === 409;
    result(form, conflict ? "This store does not send notifications yet: coupons come in this app." : failure(error), true);
  }
});

$("loyalty-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const loyaltyId = $("loyalty-id").value.trim();
  if (!loyaltyId) {
    result(form, "Enter the number on your loyalty card.", true);
    return;
  }

  try {
    await state.api.linkLoyalty(loyaltyId);
    result(form, "Your card is linked.");
  } catch (error) {
    result(form, failure(error), true);
  }
});

$("loyalty-unlink").addEventListener("click", async () => {
  const form = $("loyalty-form");
  try {
    await state.api.unlinkLoyalty();
    $("loyalty-id").value = "";
    result(form, "Your card is unlinked.");
  } catch (error) {
    result(form, failure(error), true);
  }
});

// ---------- erase me ----------

$("erase").addEventListener("click", () => {
  $("erase-error").textContent = "";
  $("erase-confirm").showModal();
});

$("erase-yes").addEventListener("click", async () => {
  const button = $("erase-yes");
  button.disabled = true;
  try {
    await state.api.erase();
  } catch (error) {
    $("erase-error").textContent = error instanceof TypeError ? "You are offline: erasing needs a connection." : error.message;
    return;
  } finally {
    button.disabled = false;
  }

  const { storeId, storeName } = state.session;
  await stopClient();
  forgetEverything();
  state.session = null;
  $("coupons").replaceChildren();
  $("notices").replaceChildren();
  $("erase-confirm").close();
  history.replaceState(null, "", `/app/?store=${encodeURIComponent(storeId)}`);
  showJoin({ storeId, storeName, erased: true });
  $("join-title").focus();
});

// ---------- start ----------

// Redeemed and expired coupons leave even with no server to ask: expiry is checked on the phone's clock.
setInterval(() => {
  if (state.client) {
    render();
  }
}, 15_000);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {
    // Without it the app still works online; only the offline start is lost.
  });
}

state.session = loadSession();
if (state.session) {
  enterWallet();
} else {
  showJoin();
}
