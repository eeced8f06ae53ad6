// Charts that start full: the day from /api/history, then live points appended; or a longer range
// (week, month, year: Vane's downsampled tiers), drawn as it was answered.
import { parsePacket } from "./weewx.js";
import { DEFAULT_RANGE, historyUrl, rangeNote } from "./ranges.js";

const WINDOW_SECONDS = 24 * 3600;

/** An /api/history answer as times and metric packets (the page's own units), parallel. */
function packets(h) {
  const keys = Object.keys(h.series);
  const points = h.times.map((t, i) => {
    const raw = {};
    for (const k of keys) if (h.series[k][i] !== null) raw[k] = String(h.series[k][i]);
    return parsePacket(JSON.stringify(raw));
  });
  return { times: h.times.slice(), points };
}

export class Charts {
  constructor(units) {
    this.units = units; // () => IMPERIAL or METRIC
    // The day: kept live whatever is shown, because the pressure trend reads it.
    this.times = [];
    this.points = []; // metric packets, parallel to times
    this.range = DEFAULT_RANGE;
    this.view = null; // { times, points } of a longer range while it is shown
    this.plots = [];
    this.asked = 0; // answers to older requests than the last are dropped
  }

  /** Fetches the topic's history over the range from Vane itself and draws it. */
  async load(topic, range = this.range) {
    const ticket = ++this.asked;
    this.range = range;
    document.body.dataset.historyRange = "loading";
    const res = await fetch(historyUrl(topic, range));
    if (!res.ok) throw new Error("HTTP " + res.status);
    const h = await res.json();
    if (ticket !== this.asked) return;
    const answered = h.range || "day";
    const data = packets(h);
    if (answered === "day") {
      this.times = data.times;
      this.points = data.points;
    }
    this.view = range === "day" ? null : data;
    const note = document.getElementById("range-note");
    if (note) {
      note.textContent = rangeNote(range, answered);
      note.hidden = note.textContent === "";
    }
    this.redraw();
    document.body.dataset.historyPoints = String(this.shown().times.length);
    document.body.dataset.historyRange = range;
  }

  /** What the charts draw: the live day, or the longer range asked for. */
  shown() {
    return this.view || { times: this.times, points: this.points };
  }

  append(time, packet) {
    this.times.push(time);
    this.points.push(packet);
    while (this.times.length && this.times[0] < time - WINDOW_SECONDS) {
      this.times.shift();
      this.points.shift();
    }
    if (this.view) return; // a longer range is drawn as answered; a 5 s point does not move it
    if (this.plots.length) this.update(); else this.redraw();
  }

  /** The change of a field over the last {@code seconds} (metric units), or undefined without data. */
  change(field, seconds) {
    if (this.times.length < 2) return undefined;
    const now = this.times[this.times.length - 1];
    let old;
    for (let i = 0; i < this.times.length; i++) {
      if (this.times[i] >= now - seconds && this.points[i][field] !== undefined) { old = this.points[i][field]; break; }
    }
    let cur;
    for (let i = this.points.length - 1; i >= 0; i--) {
      if (this.points[i][field] !== undefined) { cur = this.points[i][field]; break; }
    }
    return old === undefined || cur === undefined ? undefined : cur - old;
  }

  series() {
    const u = this.units();
    const { times, points } = this.shown();
    const col = (f, conv) => points.map(p => (p[f] === undefined ? null : conv(p[f])));
    return {
      temp: [times, col("outTemp", u.temp), col("dewpoint", u.temp)],
      pressure: [times, col("barometer", u.pressure)],
      wind: [times, col("windSpeed", u.wind), col("windGust", u.wind)],
    };
  }

  redraw() {
    if (typeof uPlot === "undefined") return;
    this.plots.forEach(p => p.destroy());
    this.plots = [];
    const u = this.units();
    const s = this.series();
    const width = el => Math.max(280, el.clientWidth || 320);
    const make = (id, data, labels, unit) => {
      const el = document.getElementById(id);
      const opts = {
        width: width(el), height: 180,
        series: [{}, ...labels.map((label, i) => ({ label: label + " (" + unit + ")", stroke: ["#2463eb", "#16a34a"][i], width: 2, spanGaps: true }))],
        axes: [{}, { size: 56 }],
        legend: { show: true },
      };
      this.plots.push(new uPlot(opts, data, el));
    };
    make("chart-temp", s.temp, ["Temperature", "Dew point"], u.tempUnit);
    make("chart-pressure", s.pressure, ["Pressure"], u.pressureUnit);
    make("chart-wind", s.wind, ["Wind", "Gust"], u.windUnit);
  }

  update() {
    const s = this.series();
    [s.temp, s.pressure, s.wind].forEach((d, i) => this.plots[i].setData(d));
  }
}
