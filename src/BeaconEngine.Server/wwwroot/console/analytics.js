// Zone analytics (footfall, dwell, funnel, moves), revenue lift and the programme: panels of the brand's and
// the operator's views, drawn from the same public routes any script can read.
import { scaledPlan, funnelChart, differenceBar } from "./charts.js";

const money = (v) => (v ?? 0).toFixed(2);
const signed = (v, f = money) => `${v >= 0 ? "+" : "−"}${f(Math.abs(v))}`;
const seconds = (s) => (s === null || s === undefined ? "–" : s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

/** The zones' figures over the last 24 hours (the route's default range). */
export async function loadZoneAnalytics(api, storeId, dwellSeconds = 30) {
  return api.get(`/api/v1/stores/${encodeURIComponent(storeId)}/analytics/zones?dwellSeconds=${dwellSeconds}`);
}

/**
 * The floor plan as a heat map: each zone filled by its footfall or its median dwell (metric), from pale to hot.
 * A zone the report leaves out (not the brand's) or whose figure is suppressed is left grey and says why.
 */
export function heatMap(svg, legend, plan, gateways, report, metric, selectedZoneId, onSelect) {
  const rows = new Map(report.zones.map((z) => [z.zoneId, z]));
  const value = (z) => (metric === "dwell" ? z?.dwellMedianSeconds : z?.footfall) ?? null;
  const max = Math.max(1, ...report.zones.map((z) => value(z) ?? 0));
  const heat = (v) => `color-mix(in srgb, #e0475b ${Math.round(8 + 82 * (v / max))}%, #fff1c9)`;
  scaledPlan(svg, plan.map((z) => {
    const v = value(rows.get(z.id));
    return { ...z, fill: v === null ? "#f1f2f6" : heat(v) };
  }), gateways, {
    sub: (z) => {
      const row = rows.get(z.id);
      if (!row) return "not in your offers";
      if (row.footfall === null) return "under 5 shoppers";
      return `${row.footfall} shopper${row.footfall === 1 ? "" : "s"} · ${seconds(row.dwellMedianSeconds)}`;
    },
    selected: (z) => z.id === selectedZoneId,
    onClick: (z) => rows.has(z.id) && onSelect(z.id),
  });
  for (const g of svg.querySelectorAll("[data-zone]")) {
    const row = rows.get(g.dataset.zone);
    g.dataset.footfall = row?.footfall ?? "";
    g.dataset.dwell = row?.dwellMedianSeconds ?? "";
  }
  legend.innerHTML = `<span>${metric === "dwell" ? "Median dwell" : "Shoppers"}</span><span class="heat-scale"></span><span></span>`;
  legend.lastElementChild.textContent = metric === "dwell" ? seconds(max) : String(max);
}

/** The funnel of one zone: passed → dwelt → offered → opened → redeemed. */
export function zoneFunnel(svg, title, report, zoneId, planZones) {
  const row = report.zones.find((z) => z.zoneId === zoneId);
  title.textContent = row ? (planZones.find((z) => z.id === zoneId)?.name ?? zoneId) : "no zone yet";
  if (!row) { svg.replaceChildren(); return; }
  const f = row.funnel;
  funnelChart(svg, [
    { key: "passed", label: "Passed", value: f.passed },
    { key: "dwelt", label: `Dwelt ≥ ${report.dwellSeconds} s`, value: f.dwelt },
    { key: "offered", label: "Offered a coupon", value: f.offered },
    { key: "opened", label: "Opened it", value: f.opened },
    { key: "redeemed", label: "Redeemed it", value: f.redeemed },
  ]);
}

/** Every zone's figures in a table, suppressed ones said plainly. */
export function zoneTable(table, report, planZones) {
  const cell = (v) => (v === null || v === undefined ? "under 5" : String(v));
  table.innerHTML = "<thead><tr><th>Zone</th><th>Shoppers</th><th>Median dwell</th><th>90th pct.</th>"
    + `<th>Dwelt ≥ ${report.dwellSeconds} s</th><th>Offered</th><th>Opened</th><th>Redeemed</th></tr></thead>`;
  const body = document.createElement("tbody");
  for (const z of report.zones) {
    const tr = document.createElement("tr");
    tr.dataset.zone = z.zoneId;
    const suppressed = z.footfall === null;
    const cells = [
      planZones.find((p) => p.id === z.zoneId)?.name ?? z.zoneId, cell(z.footfall),
      suppressed ? "under 5" : seconds(z.dwellMedianSeconds), suppressed ? "under 5" : seconds(z.dwellP90Seconds),
      cell(z.funnel.dwelt), cell(z.funnel.offered), cell(z.funnel.opened), cell(z.funnel.redeemed),
    ];
    for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
    body.append(tr);
  }
  table.append(body);
}

/** The top moves between zones. */
export function zoneMoves(list, report, planZones) {
  const name = (id) => planZones.find((z) => z.id === id)?.name ?? id;
  list.replaceChildren(...(report.transitions.length ? report.transitions.slice(0, 6).map((t) => {
    const li = document.createElement("li");
    li.textContent = `${name(t.fromZoneId)} → ${name(t.toZoneId)}: ${t.shoppers} shopper${t.shoppers === 1 ? "" : "s"}`;
    return li;
  }) : [Object.assign(document.createElement("li"), { className: "muted", textContent: "No moves yet." })]));
}

/** The offer's revenue lift with both intervals and its verdict, and its return on spend. */
export function revenuePanel(box, stats) {
  const r = stats.revenueLift;
  box.replaceChildren();
  const text = document.createElement("div");
  const tone = r.significantAnytime ? (r.anytimeLow > 0 ? "good" : "bad") : "unsure";
  text.innerHTML = `<div class="verdict ${tone}"></div><div class="muted figures"></div><div class="muted groups"></div><div class="ros"></div>`;
  text.querySelector(".verdict").textContent = r.verdict;
  const known = r.low !== null && r.high !== null;
  text.querySelector(".figures").textContent = known
    ? `${signed(r.difference)} per shopper (95 % interval ${signed(r.low)} to ${signed(r.high)}; valid under repeated looks ${signed(r.anytimeLow)} to ${signed(r.anytimeHigh)})`
    : "";
  // For a brand, a group of 1 to 4 shoppers hides the means (null): shown as "under 5", never as 0.00.
  const hidden = r.treatedPerShopper === null;
  text.querySelector(".groups").textContent = hidden
    ? `Spend on the brand per shopper: hidden while a group has under 5 shoppers (treated ${r.treatedShoppers ?? "under 5"} · control ${r.controlShoppers ?? "under 5"})`
    : `Spend on the brand per shopper: treated ${money(r.treatedPerShopper)} (${r.treatedShoppers}) · control ${money(r.controlPerShopper)} (${r.controlShoppers})`;
  text.querySelector(".ros").textContent = stats.returnOnSpend === null || stats.returnOnSpend === undefined
    ? (hidden ? "Return on spend: no figure yet (a group has under 5 shoppers)." : "Return on spend: no figure yet (nothing redeemed, or no control group).")
    : `Return on spend ${stats.returnOnSpend.toFixed(1)}×: ${money(r.incrementalRevenue)} of extra spend for ${money(r.discountCost)} of discounts.`;
  if (known) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.id = "revenue-chart";
    svg.setAttribute("class", "chart");
    svg.style.height = "70px";
    box.append(svg, text);
    differenceBar(svg, r);
  } else {
    box.append(text);
  }
}

/** The programme against the global control group: means per shopper, differences with both intervals, the verdict. */
export function programmePanel(card, p) {
  card.querySelector("#programme-share").textContent = `Global control group: ${(p.globalControlShare * 100).toFixed(0)} % of shoppers get no coupon`;
  const verdict = card.querySelector("#programme-verdict");
  verdict.textContent = p.verdict;
  verdict.className = `verdict ${p.spend.significantAnytime ? (p.spend.anytimeLow > 0 ? "good" : "bad") : "unsure"}`;
  const interval = (d) => (d.low === null ? "–" : `${signed(d.low)} to ${signed(d.high)}`);
  const anytime = (d) => (d.anytimeLow === null ? "–" : `${signed(d.anytimeLow)} to ${signed(d.anytimeHigh)}`);
  const rows = [
    ["spend", "Spend per shopper", p.treated.spendPerShopper, p.globalControl.spendPerShopper, p.spend],
    ["visits", "Visits per shopper", p.treated.visitsPerShopper, p.globalControl.visitsPerShopper, p.visits],
    ["baskets", "Baskets per shopper", p.treated.basketsPerShopper, p.globalControl.basketsPerShopper, p.baskets],
  ];
  const table = card.querySelector("#programme-table");
  table.innerHTML = `<thead><tr><th></th><th>Treated (${p.treated.shoppers})</th><th>Global control (${p.globalControl.shoppers})</th><th>Difference</th><th>95 %</th><th>Valid under repeated looks</th></tr></thead>`;
  const body = document.createElement("tbody");
  for (const [key, label, t, c, d] of rows) {
    const tr = document.createElement("tr");
    tr.dataset.metric = key;
    for (const v of [label, money(t), money(c), signed(d.difference), interval(d), anytime(d)]) {
      const td = document.createElement("td"); td.textContent = v; tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  differenceBar(card.querySelector("#programme-chart"), p.spend);
}
