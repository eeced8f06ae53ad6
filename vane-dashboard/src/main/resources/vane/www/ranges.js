// The chart ranges the page offers and how it asks Vane for each (/api/history?range=..., decision 0012).
// Pure functions: tested with Node, no DOM.

export const RANGES = [
  { id: "day", label: "Day", title: "Last 24 hours" },
  { id: "week", label: "Week", title: "Last 7 days, 5-minute averages" },
  { id: "month", label: "Month", title: "Last 31 days, hourly averages" },
  { id: "year", label: "Year", title: "Last year, daily averages" },
];

export const DEFAULT_RANGE = "day";

/** The range named by id, or undefined. */
export function findRange(id) {
  return RANGES.find(r => r.id === id);
}

/** The history request for a topic and range. */
export function historyUrl(topic, range) {
  return "/api/history?topic=" + encodeURIComponent(topic) + "&range=" + encodeURIComponent(range);
}

/**
 * What to say under the charts for an answer: nothing when Vane answered the range asked for; when it
 * answered another (it keeps only the day in memory with persistence false), say so.
 */
export function rangeNote(asked, answered) {
  if (!answered || answered === asked) return "";
  const a = findRange(answered);
  return "Vane keeps only the " + (a ? a.title.toLowerCase() : answered)
    + " (persistence false): showing that instead.";
}
