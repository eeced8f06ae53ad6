// Charts that start full: the last 24 hours from /api/history, then live points appended.
import { parsePacket } from "./weewx.js";

const WINDOW_SECONDS = 24 * 3600;

export class Charts {
  constructor(units) {
    this.units = units; // () => IMPERIAL or METRIC
    this.times = [];
    this.points = []; // metric packets, parallel to times
    this.plots = [];
  }

  /** Fetches the history of the topic from Vane itself and draws it. */
  async load(topic) {
    const since = Date.now() - WINDOW_SECONDS * 1000;
    const res = await fetch("/api/history?topic=" + encodeURIComponent(topic) + "&since=" + since);
    if (!res.ok) throw new Error("HTTP " + res.status);
    const h = await res.json();
    const keys = Object.keys(h.series);
    h.times.forEach((t, i) => {
      const raw = {};
      for (const k of keys) if (h.series[k][i] !== null) raw[k] = String(h.series[k][i]);
      this.times.push(t);
      this.points.push(parsePacket(JSON.stringify(raw)));
    });
    this.redraw();
    document.body.dataset.historyPoints = String(this.times.length);
  }

  append(time, packet) {
    this.times.push(time);
    this.points.push(packet);
    while (this.times.length && this.times[0] < time - WINDOW_SECONDS) {
      this.times.shift();
      this.points.shift();
    }
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
    const col = (f, conv) => this.points.map(p => (p[f] === undefined ? null : conv(p[f])));
    return {
      temp: [this.times, col("outTemp", u.temp), col("dewpoint", u.temp)],
      pressure: [this.times, col("barometer", u.pressure)],
      wind: [this.times, col("windSpeed", u.wind), col("windGust", u.wind)],
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
