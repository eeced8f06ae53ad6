// The device pages' day charts: one time axis, a few series per chart, full from /api/history at once,
// then live points appended, anything older than a day dropped.
const WINDOW = 24 * 3600;
const COLOURS = ["#2463eb", "#16a34a", "#b45309"];

function num(v) {
  const n = Number(v);
  return v === undefined || v === null || v === "" || Number.isNaN(n) ? null : n;
}

export class DayCharts {
  /** charts: [{ id, keys: [JSON field], labels: [legend] }] */
  constructor(charts) {
    this.charts = charts;
    this.keys = charts.flatMap(c => c.keys);
    this.times = [];
    this.series = {};
    for (const k of this.keys) this.series[k] = [];
    this.plots = [];
  }

  append(t, p) {
    this.times.push(t);
    for (const k of this.keys) this.series[k].push(num(p[k]));
    while (this.times.length && this.times[0] < t - WINDOW) {
      this.times.shift();
      for (const k of this.keys) this.series[k].shift();
    }
  }

  data(chart) {
    return [this.times, ...chart.keys.map(k => this.series[k])];
  }

  draw() {
    this.plots.splice(0).forEach(p => p.destroy());
    for (const c of this.charts) {
      const el = document.getElementById(c.id);
      el.textContent = "";
      const opts = { width: Math.max(240, el.clientWidth - 8), height: 180, series: [{}, ...c.labels.map((l, i) =>
        ({ label: l, stroke: COLOURS[i], spanGaps: true }))], axes: [{}, {}] };
      this.plots.push(new uPlot(opts, this.data(c), el));
    }
  }

  /** A live point: appended and drawn. */
  add(t, p) {
    this.append(t, p);
    this.plots.forEach((pl, i) => pl.setData(this.data(this.charts[i])));
  }

  /** The day of {@code topic} from Vane's history; sets data-history-points on the body. */
  async load(topic) {
    const res = await fetch("/api/history?topic=" + encodeURIComponent(topic) + "&range=day");
    if (!res.ok) throw new Error("HTTP " + res.status);
    const h = await res.json();
    h.times.forEach((t, i) => {
      const p = {};
      for (const k of Object.keys(h.series)) p[k] = h.series[k][i];
      this.append(t, p);
    });
    document.body.dataset.historyPoints = String(this.times.length);
    this.draw();
  }
}
