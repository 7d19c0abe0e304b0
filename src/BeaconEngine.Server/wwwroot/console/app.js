import { client, ApiError } from "./api.js";
import { scaledPlan, lineChart, barChart, intervalBar, el } from "./charts.js";
import { loadZoneAnalytics, heatMap, zoneFunnel, zoneTable, zoneMoves, revenuePanel, programmePanel } from "./analytics.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
const pct = (v) => `${(v * 100).toFixed(1)} %`;
const pp = (v) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pp`;

let session = null;      // { key, storeId, role, api }
let zones = [];
let offers = [];
let retiredOffers = [];
let selectedOfferId = null;
let editingOfferId = null;
let timer = null;
const history = new Map(); // offerId -> [{ t, issued, opened, redeemed, heldOut }]
const ANALYTICS_MS = 10_000;
// The zone panels (brand and operator): the report last read, when, the heat map's metric and the funnel's zone.
const panels = {
  brand: { report: null, at: 0, metric: "footfall", zoneId: null },
  op: { report: null, at: 0, metric: "footfall", zoneId: null },
};

// ---- sign in ----

async function signIn(key, storeId) {
  const api = client(key);
  // Issued keys carry their kind as a prefix; the operator's key is whatever the retailer configured.
  const kind = /^(br|gw|sh|tl)_/.exec(key)?.[1];
  const other = { gw: "gateway", sh: "shopper", tl: "till" }[kind];
  if (other) {
    throw new ApiError(403, { detail: `That is a ${other} key. Sign in with a brand key or the operator key.` });
  }
  const role = kind === "br" ? "brand" : "operator";
  const plan = await api.get(`/api/v1/stores/${encodeURIComponent(storeId)}/zones`);
  // Say who is signed in: the brand's own name, so a shared screen never leaves it in doubt.
  const name = role === "brand" ? (await api.get("/api/v1/brand")).name : "Store operator";
  session = { key, storeId, role, api };
  zones = plan.zones;
  sessionStorage.setItem("beaconengine.console", JSON.stringify({ key, storeId }));
  $("who-role").textContent = role;
  $("who-name").textContent = name;
  $("who-store").textContent = plan.name;
  show(role);
}

function show(view) {
  for (const id of ["sign-in", "brand", "operator"]) $(id).hidden = id !== view;
  $("who").hidden = view === "sign-in";
  clearInterval(timer);
  if (view === "brand") {
    refreshOffers().then(() => {
      drawBrandPlan();
      if (!selectedOfferId && offers.length > 0) selectOffer(offers[0].offerId);
    });
    timer = setInterval(pollBrand, POLL_MS);
  } else if (view === "operator") {
    openCalibration();
    pollOperator();
    timer = setInterval(pollOperator, POLL_MS);
  }
}

$("sign-in-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("sign-in-error").textContent = "";
  try {
    await signIn($("key").value.trim(), $("store").value.trim());
  } catch (err) {
    $("sign-in-error").textContent =
      err.status === 401 ? "That key is not valid." :
      err.status === 404 ? `There is no store '${$("store").value.trim()}'.` : err.message;
  }
});

$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem("beaconengine.console");
  session = null;
  selectedOfferId = null;
  $("results").hidden = true;
  $("editor").hidden = true;
  calibration = { walk: null, here: undefined, gateways: [] };
  $("cal-walk").hidden = true;
  $("cal-report").hidden = true;
  for (const panel of Object.values(panels)) Object.assign(panel, { report: null, at: 0, zoneId: null });
  programmeAt = 0;
  show("sign-in");
});

// ---- brand: floor plan, offers, editor ----

function offersIn(zoneId) {
  return offers.filter((o) => o.zoneIds.includes(zoneId)).length;
}

function drawBrandPlan() {
  const selected = offers.find((o) => o.offerId === selectedOfferId);
  // Drawn to scale when the store's zones have shapes.
  scaledPlan($("floor-plan"), zones, [], {
    badge: (z) => offersIn(z.id) || null,
    selected: (z) => selected?.zoneIds.includes(z.id),
    onClick: (z) => openEditor(null, z.id),
  });
}

async function refreshOffers() {
  const [live, retired] = await Promise.all([
    session.api.get("/api/v1/offers"),
    session.api.get("/api/v1/offers?retired=true"),
  ]);
  offers = live.offers.filter((o) => o.storeId === session.storeId);
  retiredOffers = retired.offers.filter((o) => o.storeId === session.storeId);
  renderRetired();
  const list = $("offer-list");
  list.replaceChildren();
  if (offers.length === 0) {
    const empty = document.createElement("li");
    empty.className = "muted";
    empty.textContent = "No offers yet. Click a zone on the floor plan to place one.";
    list.append(empty);
  }
  for (const o of offers) {
    const li = document.createElement("li");
    li.dataset.offer = o.offerId;
    li.className = o.offerId === selectedOfferId ? "selected" : "";
    const discount = o.discount.kind === "percent" ? `${o.discount.value} %` : `${o.discount.value.toFixed(2)} off`;
    li.innerHTML = `<div><div class="title"></div><div class="meta"></div></div><button class="ghost edit" type="button">Edit</button>`;
    li.querySelector(".title").textContent = o.title;
    li.querySelector(".meta").textContent = `${discount} · ${o.zoneIds.join(", ")} · ${o.trigger}`;
    li.addEventListener("click", () => selectOffer(o.offerId));
    li.querySelector(".edit").addEventListener("click", (e) => { e.stopPropagation(); openEditor(o); });
    list.append(li);
  }
}

// A retired offer no longer fires, but what it did stays readable: pick it to see its results.
function renderRetired() {
  $("retired").hidden = retiredOffers.length === 0;
  $("retired-list").replaceChildren(...retiredOffers.map((o) => {
    const li = document.createElement("li");
    li.dataset.offer = o.offerId;
    li.className = o.offerId === selectedOfferId ? "selected" : "";
    li.innerHTML = `<div><div class="title"></div><div class="meta"></div></div>`;
    li.querySelector(".title").textContent = o.title;
    li.querySelector(".meta").textContent = `retired · ${o.zoneIds.map(zoneName).join(", ")}`;
    li.addEventListener("click", () => selectOffer(o.offerId));
    return li;
  }));
}

const zoneName = (id) => zones.find((z) => z.id === id)?.name ?? id;

function openEditor(offer, zoneId) {
  editingOfferId = offer?.offerId ?? null;
  $("editor").hidden = false;
  $("editor-title").textContent = offer ? `Edit “${offer.title}”` : `New offer${zoneId ? ` in ${zones.find((z) => z.id === zoneId)?.name ?? zoneId}` : ""}`;
  $("offer-delete").hidden = !offer;
  $("offer-error").textContent = "";
  // Zones are plain checkboxes: one click each, no Ctrl-click to learn.
  const chosen = new Set(offer?.zoneIds ?? (zoneId ? [zoneId] : []));
  const legend = document.createElement("legend");
  legend.textContent = "Zones";
  $("offer-zones").replaceChildren(legend, ...zones.map((z) => {
    const label = document.createElement("label");
    label.className = "check";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = z.id;
    box.checked = chosen.has(z.id);
    label.append(box, document.createTextNode(z.name));
    return label;
  }));
  $("offer-title").value = offer?.title ?? "";
  $("offer-description").value = offer?.description ?? "";
  $("offer-value").value = offer?.discount.value ?? 10;
  $("offer-kind").value = offer?.discount.kind ?? "percent";
  $("offer-trigger").value = offer?.trigger ?? "enter";
  $("offer-dwell").value = offer?.minDwellSeconds ?? 0;
  // The product's category (for opt-outs and learning), which a zone does not know: never the zone's id.
  $("offer-category").value = offer?.category ?? "";
  $("offer-budget").value = offer?.budget?.maxCoupons ?? "";
  $("offer-ttl").value = offer?.couponTtlMinutes ?? 60;
  $("offer-holdout").value = Math.round((offer?.holdoutShare ?? 0.1) * 100);
  $("offer-per-shopper").value = offer?.maxPerShopper ?? 1;
  $("offer-title").focus();
}

$("new-offer").addEventListener("click", () => openEditor(null));
$("editor-close").addEventListener("click", () => { $("editor").hidden = true; });

$("offer-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const number = (id) => ($(id).value === "" ? undefined : Number($(id).value));
  const trigger = $("offer-trigger").value;
  if (!$("offer-zones").querySelector("input:checked")) {
    $("offer-error").textContent = "Tick at least one zone.";
    return;
  }
  const body = {
    storeId: session.storeId,
    zoneIds: [...$("offer-zones").querySelectorAll("input:checked")].map((o) => o.value),
    title: $("offer-title").value,
    description: $("offer-description").value || undefined,
    discount: { kind: $("offer-kind").value, value: number("offer-value") },
    trigger,
    minDwellSeconds: trigger === "enter" ? 0 : number("offer-dwell"),
    category: $("offer-category").value || undefined,
    budget: number("offer-budget") ? { maxCoupons: number("offer-budget") } : undefined,
    couponTtlMinutes: number("offer-ttl"),
    holdoutShare: (number("offer-holdout") ?? 10) / 100,
    maxPerShopper: number("offer-per-shopper"),
  };
  try {
    const saved = editingOfferId
      ? await session.api.put(`/api/v1/offers/${editingOfferId}`, body)
      : await session.api.post("/api/v1/offers", body);
    $("editor").hidden = true;
    await refreshOffers();
    selectOffer(saved.offerId);
  } catch (err) {
    $("offer-error").textContent = err.message;
  }
});

$("offer-delete").addEventListener("click", async () => {
  if (!editingOfferId || !confirm("Retire this offer? Coupons already issued stay valid.")) return;
  await session.api.del(`/api/v1/offers/${editingOfferId}`);
  if (selectedOfferId === editingOfferId) { selectedOfferId = null; $("results").hidden = true; }
  $("editor").hidden = true;
  await refreshOffers();
  drawBrandPlan();
});

function selectOffer(offerId) {
  selectedOfferId = offerId;
  for (const li of $("offer-list").children) li.classList.toggle("selected", li.dataset.offer === offerId);
  $("results").hidden = false;
  for (const li of $("retired-list").children) li.classList.toggle("selected", li.dataset.offer === offerId);
  const retired = retiredOffers.find((o) => o.offerId === offerId);
  const title = offers.find((o) => o.offerId === offerId)?.title ?? retired?.title ?? offerId;
  $("results-title").textContent = `Results · ${title}${retired ? " (retired)" : ""}`;
  drawBrandPlan();
  pollBrand();
}

// ---- brand: results ----

async function pollBrand() {
  if (!session) return;
  refreshZones("brand", []);
  if (!selectedOfferId) return;
  const offerId = selectedOfferId;
  let stats;
  try {
    stats = await session.api.get(`/api/v1/offers/${offerId}/stats`);
  } catch {
    return;
  }
  if (offerId !== selectedOfferId) return;
  const points = history.get(offerId) ?? [];
  points.push({ t: Date.now(), issued: stats.issued, opened: stats.opened, redeemed: stats.redeemed, heldOut: stats.heldOut });
  if (points.length > 600) points.shift();
  history.set(offerId, points);
  renderResults(stats, points);
}

// The API's count names, as people read them.
const COUNTS = [
  ["triggered", "Triggered"], ["heldOut", "Held out"], ["issued", "Issued"], ["opened", "Opened"],
  ["dismissed", "Dismissed"], ["redeemed", "Redeemed"], ["expired", "Expired"],
];

function renderResults(stats, points) {
  const kpis = [...COUNTS, ["remainingBudget", "Budget left"]];
  $("kpis").replaceChildren(...kpis.map(([field, label]) => {
    const div = document.createElement("div");
    div.className = "kpi";
    div.dataset.kpi = field;
    div.innerHTML = `<div class="n"></div><div class="l"></div>`;
    // A brand's count of 1 to 4 shoppers comes as null, named in `suppressed`; a null budget is unlimited.
    div.querySelector(".n").textContent = stats[field] ?? (stats.suppressed?.includes(field) ? "under 5" : "∞");
    div.querySelector(".l").textContent = label;
    return div;
  }));

  // Each line is narrower than the one drawn before it, so series with equal counts lie inside each other
  // instead of the last one hiding the rest.
  const series = (name, field, color, width, dash) => ({ name, color, width, dash, points: points.filter((p) => p[field] !== null).map((p) => [p.t, p[field]]) });
  lineChart($("timeline"), [
    series("issued", "issued", "var(--issued)", 9),
    series("opened", "opened", "var(--opened)", 5.5),
    series("redeemed", "redeemed", "var(--redeemed)", 2.5),
    series("heldOut", "heldOut", "var(--heldout)", 2, "6 4"),
  ]);

  // The server keeps every hour's counts, so this chart survives a reload; the line above is this session's.
  barChart($("by-hour"), stats.byHour.slice(-24).map((h) => ({
    label: new Date(h.hour).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + (h.issued === null ? " (under 5)" : ""),
    // A brand's hour with 1 to 4 coupons comes as null: drawn as no bar, its label says so.
    value: h.issued ?? 0,
    extra: h.redeemed ?? 0,
  })), { labelEvery: stats.byHour.length > 12 ? 3 : 1, extraColor: "var(--redeemed)" });

  const lift = stats.lift;
  const box = $("lift");
  box.replaceChildren();
  const svg = el("svg", { id: "lift-chart", class: "chart", style: "height:70px" });
  const text = document.createElement("div");
  // The tone follows the verdict, which reads the anytime-valid interval (right however often the page is read).
  const tone = lift.significantAnytime ? (lift.anytimeLow > 0 ? "good" : "bad") : "unsure";
  // With an empty group there is no figure: showing "+0.0 pp (-100 to +100)" under "No figure yet" would contradict it.
  // For a brand, a group under 5 hides the figures (null) and the verdict says so.
  const hasFigure = lift.difference !== null && lift.treated.shoppers > 0 && lift.control.shoppers > 0;
  text.innerHTML = `<div class="verdict ${tone}"></div><div class="muted figures"></div><div class="muted groups"></div>`;
  text.querySelector(".verdict").textContent = lift.verdict;
  text.querySelector(".figures").textContent = hasFigure
    ? `Lift ${pp(lift.difference)} (95 % interval ${pp(lift.low)} to ${pp(lift.high)}; valid under repeated looks ${pp(lift.anytimeLow)} to ${pp(lift.anytimeHigh)})`
    : "";
  const group = (g, bought) => g.rate === null
    ? `${g.buyers ?? "under 5"} of ${g.shoppers ?? "under 5"}${bought}`
    : `${g.buyers} of ${g.shoppers}${bought} (${pct(g.rate)})`;
  text.querySelector(".groups").textContent = `Treated: ${group(lift.treated, " bought")} · Control: ${group(lift.control, "")}`;
  if (hasFigure) {
    box.append(svg, text);
    intervalBar(svg, lift);
  } else {
    box.append(text);
  }

  revenuePanel($("revenue"), stats);

  const table = $("by-zone");
  const cols = COUNTS.map(([field]) => field);
  table.innerHTML = `<thead><tr><th>Zone</th>${COUNTS.map(([, label]) => `<th>${label}</th>`).join("")}</tr></thead>`;
  const body = document.createElement("tbody");
  for (const z of stats.byZone) {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = zones.find((x) => x.id === z.zoneId)?.name ?? z.zoneId;
    tr.append(name, ...cols.map((c) => { const td = document.createElement("td"); td.textContent = z[c] ?? "under 5"; return td; }));
    body.append(tr);
  }
  table.append(body);
}

// ---- operator ----

async function pollOperator() {
  if (!session) return;
  let live;
  try {
    live = await session.api.get(`/api/v1/stores/${encodeURIComponent(session.storeId)}/live`);
  } catch {
    return;
  }
  const counts = new Map(live.zones.map((z) => [z.zoneId, z.shoppers]));
  const max = Math.max(1, ...counts.values());
  scaledPlan($("live-plan"), zones.map((z) => {
    const n = counts.get(z.id) ?? 0;
    return { ...z, fill: n ? `color-mix(in srgb, var(--accent) ${Math.round(15 + 45 * (n / max))}%, #eef0fb)` : undefined };
  }), calibration.gateways, {
    sub: (z) => `${counts.get(z.id) ?? 0} shopper${counts.get(z.id) === 1 ? "" : "s"}`,
    badge: (z) => counts.get(z.id) || null,
  });

  barChart($("cpm"), live.couponsPerMinute.map((m) => ({
    label: new Date(m.minute).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
    value: m.coupons,
  })));
  const total = live.couponsPerMinute.reduce((a, m) => a + m.coupons, 0);
  $("cpm-total").textContent = `${total} in the last 30 minutes`;

  pollCalibration();
  refreshZones("op", calibration.gateways);
  refreshProgramme();

  const now = Date.parse(live.at);
  const table = $("gateways");
  table.innerHTML = "<thead><tr><th>Gateway</th><th>Zone</th><th>Last seen</th><th>Sightings/s</th></tr></thead>";
  const body = document.createElement("tbody");
  for (const g of live.gateways) {
    const tr = document.createElement("tr");
    tr.dataset.gateway = g.gatewayId;
    const ago = g.lastSeenAt ? Math.max(0, Math.round((now - Date.parse(g.lastSeenAt)) / 1000)) : null;
    const seen = ago === null ? "never" : ago < 120 ? `${ago} s ago` : `${Math.round(ago / 60)} min ago`;
    const cells = [g.gatewayId, zones.find((z) => z.id === g.zoneId)?.name ?? g.zoneId, seen, g.sightingsPerSecond.toFixed(1)];
    for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
    tr.children[2].className = g.status === "online" ? "fresh" : "stale";
    tr.children[2].title = g.status;
    body.append(tr);
  }
  table.append(body);
}

// ---- zone analytics and the programme ----

/** Reads the zones' figures at most every ANALYTICS_MS (or at once when forced) and draws the panel. */
async function refreshZones(prefix, gateways, force = false) {
  const panel = panels[prefix];
  if (!force && Date.now() - panel.at < ANALYTICS_MS) return;
  panel.at = Date.now();
  try {
    panel.report = await loadZoneAnalytics(session.api, session.storeId);
  } catch {
    panel.at = 0;
    return;
  }
  panel.gateways = gateways;
  drawZones(prefix);
}

function drawZones(prefix) {
  const panel = panels[prefix];
  const report = panel.report;
  if (!report) return;
  // The funnel shows the picked zone, else the busiest one.
  if (!report.zones.some((z) => z.zoneId === panel.zoneId)) {
    panel.zoneId = [...report.zones].sort((a, b) => (b.footfall ?? -1) - (a.footfall ?? -1))[0]?.zoneId ?? null;
  }
  for (const b of $(`${prefix}-metric`).querySelectorAll("button")) b.classList.toggle("on", b.dataset.metric === panel.metric);
  heatMap($(`${prefix}-heat`), $(`${prefix}-heat-legend`), zones, panel.gateways ?? [], report, panel.metric, panel.zoneId, (zoneId) => {
    panel.zoneId = zoneId;
    drawZones(prefix);
  });
  zoneFunnel($(`${prefix}-funnel`), $(`${prefix}-funnel-zone`), report, panel.zoneId, zones);
  zoneMoves($(`${prefix}-moves`), report, zones);
  zoneTable($(`${prefix}-zone-table`), report, zones);
}

for (const prefix of Object.keys(panels)) {
  $(`${prefix}-metric`).addEventListener("click", (e) => {
    const metric = e.target.closest("button")?.dataset.metric;
    if (!metric) return;
    panels[prefix].metric = metric;
    drawZones(prefix);
  });
}

let programmeAt = 0;
async function refreshProgramme() {
  if (Date.now() - programmeAt < ANALYTICS_MS) return;
  programmeAt = Date.now();
  try {
    programmePanel($("programme"), await session.api.get(`${storePath()}/analytics/programme`));
  } catch {
    programmeAt = 0;
  }
}

// ---- operator: calibration ----

let calibration = { walk: null, here: undefined, gateways: [] };
const storePath = () => `/api/v1/stores/${encodeURIComponent(session.storeId)}`;

async function calibrationStep(action) {
  $("cal-error").textContent = "";
  try {
    await action();
  } catch (err) {
    $("cal-error").textContent = err.message;
  }
}

/** The store's gateways (with their positions) for the plan, and whether a calibration is active. */
async function openCalibration() {
  await calibrationStep(async () => {
    const store = await session.api.get(storePath());
    zones = store.zones;
    calibration.gateways = store.gateways;
    showIdentity(store);
    showActive(store.calibration);
  });
}

/** The store's identity choice, and the recommendation: rotating (docs/rotating-identities.md). */
function showIdentity(store) {
  const minutes = store.rotationPeriodSeconds / 60;
  const period = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${store.rotationPeriodSeconds} seconds`;
  const rotating = store.identity === "rotating";
  $("identity-choice").textContent = rotating ? `Rotating · every ${period} · recommended` : "Static · rotating recommended";
  $("identity-advice").textContent = rotating
    ? `Each shopper's phone broadcasts a new identity every ${period}, derived from a secret only the phone and the server hold: a BLE scanner cannot follow shoppers, and a recorded advertisement is useless once its period and one more have passed.`
    : `Each shopper's phone broadcasts one identity for as long as it is enrolled, which any BLE scanner can follow and replay. We recommend "identity": "rotating" on the store's PUT (see docs/rotating-identities.md); shoppers enrolled from then on rotate.`;
}

function showActive(active) {
  $("cal-status").textContent = active
    ? `Calibrated by ${active.calibrationId} on ${new Date(active.fittedAt).toLocaleString()} · zones ${active.zonesCalibrated.join(", ")}`
    : "Not calibrated: shoppers are placed with the uncalibrated model";
  $("cal-remove").hidden = !active;
  if (active && $("cal-report").hidden) showReport(active.report);
}

function drawCalibrationPlan() {
  const toScale = scaledPlan($("cal-plan"), zones, calibration.gateways, {
    selected: (z) => z.id === calibration.here,
    onClick: (z) => calibrationStep(() => mark(z.id)),
  });
  $("cal-scale").textContent = toScale ? "· drawn to scale" : "";
}

async function mark(zoneId) {
  const walk = calibration.walk;
  await session.api.post(`${storePath()}/calibrations/${walk.calibrationId}/marks`, { zoneId });
  calibration.here = zoneId;
  const name = zones.find((z) => z.id === zoneId)?.name ?? zoneId;
  $("cal-here").textContent = zoneId ? `In ${name} since ${new Date().toLocaleTimeString()}` : "Not in a zone: sightings from now on teach nothing.";
  drawCalibrationPlan();
}

$("cal-start").addEventListener("click", () => calibrationStep(async () => {
  const walk = await session.api.post(`${storePath()}/calibrations`, {});
  calibration.walk = walk;
  calibration.here = undefined;
  $("cal-uuid").textContent = walk.advertisement.uuid;
  $("cal-major").textContent = walk.advertisement.major;
  $("cal-minor").textContent = walk.advertisement.minor;
  $("cal-here").textContent = "Tap the zone you are in.";
  $("cal-heard").textContent = "No sightings heard yet.";
  $("cal-walk").hidden = false;
  $("cal-start").hidden = true;
  drawCalibrationPlan();
}));

$("cal-pause").addEventListener("click", () => calibrationStep(() => mark(null)));

$("cal-fit").addEventListener("click", () => calibrationStep(async () => {
  const report = await session.api.post(`${storePath()}/calibrations/${calibration.walk.calibrationId}/fit`);
  showReport(report);
  showActive((await session.api.get(storePath())).calibration);
}));

$("cal-end").addEventListener("click", () => calibrationStep(async () => {
  await session.api.del(`${storePath()}/calibrations/${calibration.walk.calibrationId}`);
  calibration.walk = null;
  $("cal-walk").hidden = true;
  $("cal-start").hidden = false;
}));

$("cal-remove").addEventListener("click", () => calibrationStep(async () => {
  if (!confirm("Remove the calibration? Shoppers are placed with the uncalibrated model again.")) return;
  await session.api.del(`${storePath()}/calibration`);
  $("cal-report").hidden = true;
  showActive(null);
}));

async function pollCalibration() {
  const walk = calibration.walk;
  if (!walk) return;
  let status;
  try {
    status = await session.api.get(`${storePath()}/calibrations/${walk.calibrationId}`);
  } catch {
    return;
  }
  if (walk !== calibration.walk) return;
  const labelled = Object.entries(status.labelledPerZone).map(([z, n]) => `${zones.find((x) => x.id === z)?.name ?? z} ${n}`);
  $("cal-heard").textContent = `${status.sightings} sighting${status.sightings === 1 ? "" : "s"} heard` + (labelled.length ? ` · labelled: ${labelled.join(", ")}` : "");
}

function showReport(report) {
  $("cal-report").hidden = false;
  $("cal-before").textContent = pct(report.accuracyBefore);
  $("cal-after").textContent = pct(report.accuracyAfter);
  $("cal-moments").textContent = report.moments;
  $("cal-uncovered").textContent = report.zonesNotCovered.length
    ? `Not covered by the walk (they keep the uncalibrated model): ${report.zonesNotCovered.map((z) => zones.find((x) => x.id === z)?.name ?? z).join(", ")}`
    : "The walk covered every zone.";
  const brief = report.zonesWalkedBriefly ?? [];
  $("cal-brief").hidden = brief.length === 0;
  $("cal-brief").textContent = brief.length
    ? `Walked for less than a minute, so learnt from little: ${brief.map((z) => `${zones.find((x) => x.id === z)?.name ?? z} (${report.secondsPerZone?.[z] ?? "?"} s)`).join(", ")}. Walk them again for a minute or more each and fit again.`
    : "";
  const table = (id, head, rows) => {
    const t = $(id);
    t.innerHTML = `<thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>`;
    const body = document.createElement("tbody");
    for (const [key, cells] of rows) {
      const tr = document.createElement("tr");
      tr.dataset.key = key;
      for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
      body.append(tr);
    }
    t.append(body);
  };
  table("cal-samples", ["Zone", "Labelled sightings"],
    Object.entries(report.samplesPerZone).map(([z, n]) => [z, [zones.find((x) => x.id === z)?.name ?? z, n]]));
  table("cal-corrections", ["Gateway", "Correction"],
    Object.entries(report.gatewayCorrections).map(([g, db]) => [g, [g, `${db >= 0 ? "+" : ""}${db.toFixed(1)} dB`]]));
}

// ---- start ----

const saved = JSON.parse(sessionStorage.getItem("beaconengine.console") ?? "null");
if (saved) {
  $("key").value = saved.key;
  $("store").value = saved.storeId;
  signIn(saved.key, saved.storeId).catch(() => show("sign-in"));
} else {
  const store = new URLSearchParams(location.search).get("store");
  if (store) $("store").value = store;
  show("sign-in");
}
