// Pure functions for weewx-mqtt payloads: no DOM, so they can be tested on their own.
// weewx-mqtt sends values as strings with the unit in the key: outTemp_F, barometer_mbar, ...

const TO_METRIC = {
  F: v => (v - 32) * 5 / 9, C: v => v,
  inHg: v => v * 33.8638866667, mbar: v => v, hPa: v => v,
  mph: v => v * 1.609344, kph: v => v, mps: v => v * 3.6, knot: v => v * 1.852,
  in: v => v * 25.4, cm: v => v * 10, mm: v => v,
  inch_per_hour: v => v * 25.4, cm_per_hour: v => v * 10, mm_per_hour: v => v,
};

/** Splits "outTemp_F" into ["outTemp", "F"]; the suffix may itself contain underscores. */
function splitKey(key) {
  for (const unit of Object.keys(TO_METRIC)) {
    if (key.endsWith("_" + unit)) return [key.slice(0, -unit.length - 1), unit];
  }
  return [key, null];
}

/**
 * Parses one weewx-mqtt aggregate packet into metric numbers: temperatures in °C, pressure in hPa,
 * wind in km/h, rain in mm and mm/h. Unknown or missing fields are simply absent.
 * Throws SyntaxError for text that is not a JSON object.
 */
export function parsePacket(text) {
  const raw = JSON.parse(text);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new SyntaxError("not a JSON object");
  const out = { archive: "interval_minute" in raw };
  for (const [key, value] of Object.entries(raw)) {
    const number = Number(value);
    if (value === null || value === "" || Number.isNaN(number)) continue;
    const [field, unit] = splitKey(key);
    out[field] = unit ? TO_METRIC[unit](number) : number;
  }
  return out;
}

export const IMPERIAL = {
  temp: c => c * 9 / 5 + 32, tempUnit: "°F", pressure: h => h / 33.8638866667, pressureUnit: "inHg",
  wind: k => k / 1.609344, windUnit: "mph", rain: mm => mm / 25.4, rainUnit: "in",
};
export const METRIC = {
  temp: c => c, tempUnit: "°C", pressure: h => h, pressureUnit: "hPa",
  wind: k => k, windUnit: "km/h", rain: mm => mm, rainUnit: "mm",
};

const COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];

export function compass(degrees) {
  return COMPASS[Math.round(((degrees % 360) + 360) % 360 / 22.5) % 16];
}
