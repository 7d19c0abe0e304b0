// Code 128 (set B) drawn as SVG, for the till's scanner: every coupon code (Crockford base32, upper case) is
// printable ASCII, which set B covers, and any 1D scanner at a till reads Code 128. No library: the symbology is a
// table of 107 bar patterns and a checksum.

// Each symbol's six bar and space widths in modules (bar first), 11 modules in all; the stop symbol has seven (13).
const PATTERNS = [
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
  "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
  "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
  "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
  "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
  "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
  "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
  "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
  "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const START_B = 104;
const STOP = 106;

/** The white margin each side, in modules: scanners need it to find the first bar. */
export const QUIET_ZONE = 10;

/** The symbol values of `text` in set B, with start, checksum and stop. Throws for a character set B lacks. */
export function code128Values(text) {
  const values = [START_B];
  for (const ch of String(text)) {
    const code = ch.charCodeAt(0);
    if (ch.length !== 1 || code < 32 || code > 127) {
      throw new RangeError(`Code 128 set B cannot encode '${ch}'`);
    }

    values.push(code - 32);
  }

  // The checksum weighs each data symbol by its position (the start symbol by 1).
  const sum = values.reduce((total, value, i) => total + value * Math.max(i, 1), 0);
  values.push(sum % 103, STOP);
  return values;
}

/** The bars of `text` as [x, width] pairs in modules, after the quiet zone, and the symbol's full width. */
export function code128Bars(text) {
  const bars = [];
  let x = QUIET_ZONE;
  for (const value of code128Values(text)) {
    const widths = PATTERNS[value];
    for (let i = 0; i < widths.length; i++) {
      const w = Number(widths[i]);
      if (i % 2 === 0) {
        bars.push([x, w]);
      }

      x += w;
    }
  }

  return { bars, width: x + QUIET_ZONE };
}

/** An SVG element of the barcode, scaled to its container's width; `label` is what a screen reader says. */
export function code128Svg(text, { height = 60, label = `Barcode of code ${text}` } = {}) {
  const ns = "http://www.w3.org/2000/svg";
  const { bars, width } = code128Bars(text);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.classList.add("barcode");
  svg.dataset.code = text;
  svg.dataset.modules = String(width);

  const background = document.createElementNS(ns, "rect");
  background.setAttribute("width", String(width));
  background.setAttribute("height", String(height));
  background.setAttribute("fill", "#fff");
  svg.append(background);

  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", bars.map(([x, w]) => `M${x} 0h${w}v${height}h-${w}z`).join(""));
  path.setAttribute("fill", "#000");
  svg.append(path);
  return svg;
}

/**
 * Sizes a barcode drawn by code128Svg to a whole number of device pixels per module, as wide as `box` allows: a
 * module stretched to 1.9 pixels draws bars of 1 and 2 pixels that a scanner misreads.
 */
export function fitBarcode(svg, box) {
  const modules = Number(svg.dataset.modules);
  const dpr = window.devicePixelRatio || 1;
  const available = box.clientWidth;
  const perModule = Math.max(1, Math.floor((available * dpr) / modules)) / dpr;
  const width = modules * perModule;
  svg.style.width = `${width}px`;
  svg.style.marginLeft = `${Math.max(0, Math.floor(((available - width) / 2) * dpr) / dpr)}px`;
}
