// Hand-rolled SVG: a floor plan laid out automatically, line charts, bar charts and an interval bar.
const NS = "http://www.w3.org/2000/svg";

export function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Zones on a grid in the layout's order, neighbours joined by a corridor line. */
export function floorPlan(svg, zones, { label, sub, badge, selected, onClick } = {}) {
  const cols = Math.max(1, Math.ceil(Math.sqrt(zones.length * 1.5)));
  const rows = Math.ceil(zones.length / cols);
  const w = 170, h = 100, gap = 26, pad = 14;
  const width = pad * 2 + cols * w + (cols - 1) * gap, height = pad * 2 + rows * h + (rows - 1) * gap;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const at = new Map(zones.map((z, i) => [z.id, { x: pad + (i % cols) * (w + gap), y: pad + Math.floor(i / cols) * (h + gap) }]));
  const links = el("g");
  for (const z of zones) {
    for (const n of z.neighbors ?? []) {
      if (z.id < n && at.has(n)) {
        const a = at.get(z.id), b = at.get(n);
        links.append(el("line", { class: "link", x1: a.x + w / 2, y1: a.y + h / 2, x2: b.x + w / 2, y2: b.y + h / 2 }));
      }
    }
  }
  svg.append(links);
  for (const z of zones) {
    const { x, y } = at.get(z.id);
    const g = el("g", { class: `zone${selected?.(z) ? " selected" : ""}`, "data-zone": z.id, transform: `translate(${x},${y})`, tabindex: 0, role: "button" });
    g.append(el("rect", { width: w, height: h, rx: 12, ...(z.fill ? { style: `fill:${z.fill}` } : {}) }));
    g.append(el("text", { x: 14, y: 28, "font-weight": 600 }, label ? label(z) : z.name));
    g.append(el("text", { x: 14, y: 48, class: "sub" }, sub ? sub(z) : (z.category ?? z.kind ?? "")));
    const b = badge?.(z);
    if (b) {
      const badgeGroup = el("g", { class: "badge", transform: `translate(${w - 24},${h - 24})` });
      badgeGroup.append(el("circle", { r: 14 }), el("text", { "text-anchor": "middle", y: 4 }, String(b)));
      g.append(badgeGroup);
    }
    if (onClick) {
      g.addEventListener("click", () => onClick(z));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter") onClick(z); });
    }
    svg.append(g);
  }
}

// Charts draw in the element's own pixels (viewBox = its size), so text keeps its size and lines fill the card.

/** Lines over time: series is [{ name, color, points: [[time, value]] }]. */
export function lineChart(svg, series, { width = svg.clientWidth || 640, height = svg.clientHeight || 200 } = {}) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const left = 34, right = 10, top = 10, bottom = 22;
  const all = series.flatMap((s) => s.points);
  // From the first point to the last, at least 30 s wide, so the lines use the whole chart.
  const t0 = Math.min(...all.map((p) => p[0]), Date.now()), t1 = Math.max(...all.map((p) => p[0]), t0 + 30_000);
  const max = Math.max(1, ...all.map((p) => p[1]));
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (v) => height - bottom - (v / max) * (height - top - bottom);
  const ticks = all.some((p) => p[1] > 0) ? countTicks(max) : [0];
  for (const v of ticks) {
    svg.append(el("line", { class: "axis", x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    svg.append(el("text", { x: left - 6, y: y(v) + 3, "text-anchor": "end", class: "tick" }, String(v)));
  }
  if (ticks.length === 1) svg.append(el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, "Nothing yet"));
  svg.append(el("text", { x: left, y: height - 6 }, new Date(t0).toLocaleTimeString()));
  svg.append(el("text", { x: width - right, y: height - 6, "text-anchor": "end" }, new Date(t1).toLocaleTimeString()));
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
    const width = s.width ?? 2.5;
    svg.append(el("path", {
      d, fill: "none", stroke: s.color, "stroke-width": width, "stroke-linejoin": "round", "stroke-linecap": "round",
      ...(s.dash ? { "stroke-dasharray": s.dash } : {}), "data-series": s.name, "data-last": s.points.at(-1)[1],
    }));
    const [lt, lv] = s.points.at(-1);
    svg.append(el("circle", { cx: x(lt), cy: y(lv), r: Math.max(3.5, width / 2 + 1), fill: s.color }));
  }
}

/** Axis values for counts from 0 to max: whole numbers, each once (0, 1 for a max of 1; never "1, 1, 0"). */
export function countTicks(max) {
  const top = Math.max(1, Math.ceil(max));
  const middle = Math.round(top / 2);
  return [...new Set([0, middle, top])].filter((v) => v >= 0);
}

/** Bars: items is [{ label, value, extra? }]; extra, if given, is drawn as a narrower bar in front (e.g. redeemed of issued). */
export function barChart(svg, items, { width = svg.clientWidth || 640, height = svg.clientHeight || 200, color = "var(--accent)", extraColor, labelEvery = 5 } = {}) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const left = 28, bottom = 22, top = 10;
  const max = Math.max(1, ...items.map((i) => i.value));
  const slot = (width - left) / Math.max(1, items.length);
  const barWidth = Math.min(48, Math.max(1, slot - 4));
  const scale = (v) => (v / max) * (height - top - bottom);
  svg.append(el("line", { class: "axis", x1: left, x2: width, y1: height - bottom, y2: height - bottom }));
  const empty = !items.some((i) => i.value > 0);
  if (empty) {
    svg.append(el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, "Nothing yet"));
  } else {
    svg.append(el("text", { x: left - 6, y: top + 8, "text-anchor": "end", class: "tick" }, String(max)));
  }
  items.forEach((item, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    svg.append(el("rect", { x, y: height - bottom - scale(item.value), width: barWidth, height: scale(item.value), rx: 3, fill: color, "data-value": item.value }));
    if (extraColor && item.extra) {
      svg.append(el("rect", { x: x + barWidth / 4, y: height - bottom - scale(item.extra), width: barWidth / 2, height: scale(item.extra), rx: 2, fill: extraColor, "data-extra": item.extra }));
    }
    if (i % labelEvery === 0) svg.append(el("text", { x: left + i * slot + slot / 2, y: height - 6, "text-anchor": "middle" }, item.label));
  });
}

/** The lift's 95 % interval against zero, on a -100..+100 percentage point scale. */
export function intervalBar(svg, lift, { width = svg.clientWidth || 420, height = 70 } = {}) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const pad = 20, x = (v) => pad + ((v + 1) / 2) * (width - 2 * pad);
  svg.append(el("line", { class: "axis", x1: pad, x2: width - pad, y1: 35, y2: 35 }));
  svg.append(el("line", { x1: x(0), x2: x(0), y1: 14, y2: 56, stroke: "#9aa0bd", "stroke-dasharray": "3 3" }));
  for (const v of [-1, -0.5, 0, 0.5, 1]) svg.append(el("text", { x: x(v), y: 66, "text-anchor": "middle" }, `${Math.round(v * 100)}`));
  const color = lift.significant ? (lift.low > 0 ? "var(--good)" : "var(--bad)") : "var(--warn)";
  svg.append(el("rect", { x: x(lift.low), y: 27, width: Math.max(2, x(lift.high) - x(lift.low)), height: 16, rx: 8, fill: color, opacity: 0.35, "data-low": lift.low, "data-high": lift.high }));
  svg.append(el("circle", { cx: x(lift.difference), cy: 35, r: 6, fill: color }));
}

/**
 * The floor drawn to scale, in metres, when the layout gives zone shapes or gateway positions: a zone with a
 * shape is its polygon; a zone without one is a square around its gateways. Zones the layout does not place
 * are drawn on a strip below. Without any geometry, the grid of floorPlan. Returns true when drawn to scale.
 */
export function scaledPlan(svg, zones, gateways, { sub, badge, selected, onClick } = {}) {
  const corners = (shape) => shape.type === "rect"
    ? [[shape.x, shape.y], [shape.x + shape.width, shape.y], [shape.x + shape.width, shape.y + shape.height], [shape.x, shape.y + shape.height]]
    : (shape.points ?? []).map((p) => [p.x, p.y]);
  const placed = gateways.filter((g) => g.position);
  if (!zones.some((z) => z.shape) && placed.length === 0) {
    floorPlan(svg, zones, { sub, badge, selected, onClick });
    return false;
  }

  // A zone without a shape: a square around the mean of its gateways, half the distance to the nearest other one.
  const centre = new Map();
  for (const z of zones) {
    const own = placed.filter((g) => g.zoneId === z.id);
    if (!z.shape && own.length) centre.set(z.id, [own.reduce((a, g) => a + g.position.x, 0) / own.length, own.reduce((a, g) => a + g.position.y, 0) / own.length]);
  }
  const outlines = new Map();
  for (const z of zones) {
    if (z.shape) { outlines.set(z.id, corners(z.shape)); continue; }
    const c = centre.get(z.id);
    if (!c) continue;
    const others = [...centre.entries()].filter(([id]) => id !== z.id).map(([, o]) => Math.hypot(o[0] - c[0], o[1] - c[1]));
    const half = Math.max(0.5, Math.min(3, ...others) / 2.2);
    outlines.set(z.id, [[c[0] - half, c[1] - half], [c[0] + half, c[1] - half], [c[0] + half, c[1] + half], [c[0] - half, c[1] + half]]);
  }
  const points = [...outlines.values()].flat().concat(placed.map((g) => [g.position.x, g.position.y]));
  const minX = Math.min(...points.map((p) => p[0])), maxX = Math.max(...points.map((p) => p[0]));
  const minY = Math.min(...points.map((p) => p[1])), maxY = Math.max(...points.map((p) => p[1]));
  const width = 640, pad = 16;
  const scale = (width - 2 * pad) / Math.max(1, maxX - minX);
  const planHeight = Math.max(1, maxY - minY) * scale;
  const loose = zones.filter((z) => !outlines.has(z.id));
  const stripTop = pad * 2 + planHeight;
  const height = stripTop + (loose.length ? 100 : 0);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.dataset.scale = scale.toFixed(2);
  svg.replaceChildren();
  // The store's frame has y upwards; the screen's goes down.
  const x = (mx) => pad + (mx - minX) * scale, y = (my) => pad + (maxY - my) * scale;

  const zoneGroup = (z, shape, labelAt) => {
    const g = el("g", { class: `zone${selected?.(z) ? " selected" : ""}`, "data-zone": z.id, tabindex: 0, role: "button", "aria-label": z.name });
    g.append(shape, el("text", { x: labelAt[0], y: labelAt[1], "text-anchor": "middle", "font-weight": 600 }, z.name));
    g.append(el("text", { x: labelAt[0], y: labelAt[1] + 15, "text-anchor": "middle", class: "sub" }, sub ? sub(z) : (z.category ?? z.kind ?? "")));
    const b = badge?.(z);
    if (b) {
      const badgeGroup = el("g", { class: "badge", transform: `translate(${labelAt[0]},${labelAt[1] + 38})` });
      badgeGroup.append(el("circle", { r: 12 }), el("text", { "text-anchor": "middle", y: 4 }, String(b)));
      g.append(badgeGroup);
    }
    if (onClick) {
      g.addEventListener("click", () => onClick(z));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter") onClick(z); });
    }
    svg.append(g);
  };
  for (const z of zones) {
    const outline = outlines.get(z.id);
    if (!outline) continue;
    const screen = outline.map(([mx, my]) => [x(mx), y(my)]);
    const cx = screen.reduce((a, p) => a + p[0], 0) / screen.length, cy = screen.reduce((a, p) => a + p[1], 0) / screen.length;
    zoneGroup(z, el("polygon", { points: screen.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" "), ...(z.fill ? { style: `fill:${z.fill}` } : {}) }), [cx, cy]);
  }
  loose.forEach((z, i) => {
    const w = 140, left = pad + i * (w + 12);
    zoneGroup(z, el("rect", { x: left, y: stripTop, width: w, height: 56, rx: 10, ...(z.fill ? { style: `fill:${z.fill}` } : {}) }), [left + w / 2, stripTop + 24]);
  });
  for (const g of placed) {
    svg.append(el("circle", { class: "gateway-dot", cx: x(g.position.x), cy: y(g.position.y), r: 4, "data-gateway": g.gatewayId }));
    svg.append(el("text", { class: "gateway-label", x: x(g.position.x) + 6, y: y(g.position.y) - 6 }, g.gatewayId));
  }
  return true;
}

/**
 * A funnel: stages is [{ label, value }] with value null where the server suppressed it (fewer than 5
 * shoppers); each bar's length, and the share written beside it, is its part of the first stage.
 */
export function funnelChart(svg, stages, { width = svg.clientWidth || 420 } = {}) {
  const row = 30, left = 150, right = 90, height = stages.length * row + 8;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.style.height = `${height}px`;
  svg.replaceChildren();
  const max = Math.max(1, ...stages.map((s) => s.value ?? 0));
  stages.forEach((s, i) => {
    const y = 4 + i * row;
    const g = el("g", { "data-stage": s.key ?? s.label, "data-value": s.value ?? "suppressed" });
    g.append(el("text", { x: left - 8, y: y + 17, "text-anchor": "end", class: "stage" }, s.label));
    const w = s.value === null ? width - left - right : ((s.value ?? 0) / max) * (width - left - right);
    g.append(el("rect", { x: left, y: y + 3, width: Math.max(2, w), height: row - 8, rx: 5, class: s.value === null ? "suppressed" : "bar", fill: s.value === null ? "url(#hatch)" : "var(--accent)", opacity: s.value === null ? 1 : 0.25 + 0.75 * (1 - i / stages.length) }));
    // Each stage as a share of those who passed.
    const first = stages[0]?.value;
    const share = i > 0 && s.value !== null && first ? ` · ${Math.round((100 * s.value) / first)} %` : "";
    g.append(el("text", { x: left + Math.max(2, w) + 6, y: y + 17, class: "count" }, s.value === null ? "under 5" : `${s.value}${share}`));
    svg.append(g);
  });
  const defs = el("defs");
  const hatch = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  hatch.append(el("rect", { width: 6, height: 6, fill: "#f1f2f6" }), el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#c9cce6", "stroke-width": 2 }));
  defs.append(hatch);
  svg.prepend(defs);
}

/**
 * A difference (treated minus control) with its fixed 95 % interval (thin) and its anytime-valid interval
 * (thick, pale), against zero, on a scale that holds both. format writes a value for the axis.
 */
export function differenceBar(svg, d, { width = svg.clientWidth || 420, height = 70, format = (v) => v.toFixed(2) } = {}) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const bounds = [d.difference, d.low, d.high, d.anytimeLow, d.anytimeHigh].filter((v) => typeof v === "number" && Number.isFinite(v));
  const reach = Math.max(1e-9, ...bounds.map(Math.abs)) * 1.1;
  const pad = 24, x = (v) => pad + ((v + reach) / (2 * reach)) * (width - 2 * pad);
  svg.append(el("line", { class: "axis", x1: pad, x2: width - pad, y1: 35, y2: 35 }));
  svg.append(el("line", { x1: x(0), x2: x(0), y1: 12, y2: 56, stroke: "#9aa0bd", "stroke-dasharray": "3 3" }));
  for (const v of [-reach / 1.1, 0, reach / 1.1]) svg.append(el("text", { x: x(v), y: 66, "text-anchor": "middle" }, format(v)));
  const color = d.significantAnytime ? (d.anytimeLow > 0 ? "var(--good)" : "var(--bad)") : "var(--warn)";
  if (typeof d.anytimeLow === "number" && typeof d.anytimeHigh === "number") {
    svg.append(el("rect", { class: "anytime", x: x(d.anytimeLow), y: 24, width: Math.max(2, x(d.anytimeHigh) - x(d.anytimeLow)), height: 22, rx: 11, fill: color, opacity: 0.2, "data-low": d.anytimeLow, "data-high": d.anytimeHigh }));
  }
  if (typeof d.low === "number" && typeof d.high === "number") {
    svg.append(el("rect", { class: "fixed", x: x(d.low), y: 32, width: Math.max(2, x(d.high) - x(d.low)), height: 6, rx: 3, fill: color, opacity: 0.6, "data-low": d.low, "data-high": d.high }));
  }
  svg.append(el("circle", { cx: x(d.difference), cy: 35, r: 6, fill: color }));
}
