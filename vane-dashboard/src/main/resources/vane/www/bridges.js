// The bridges' state under the page's status line, from /api/status (names and states only: the
// status report carries no addresses). Hidden when the broker has no bridges.
const line = document.getElementById("bridges");

function ago(seconds) {
  if (!seconds) return "no message yet";
  const s = Math.max(0, Math.round(Date.now() / 1000 - seconds));
  return s < 90 ? `last message ${s} s ago` : `last message ${Math.round(s / 60)} min ago`;
}

async function refresh() {
  try {
    const res = await fetch("/api/status", { cache: "no-store" });
    if (!res.ok) return;
    const status = await res.json();
    const bridges = status.bridges || [];
    line.hidden = bridges.length === 0;
    line.textContent = bridges.map(b => `Bridge ${b.name}: ${b.state}, ${ago(b.lastMessage)}`
        + (b.queued > 0 ? `, ${b.queued} waiting` : "")).join(" · ");
    line.dataset.states = bridges.map(b => `${b.name}=${b.state}`).join(",");
  } catch (e) {
    // The status line above already says when the broker cannot be reached.
  }
}

if (line) {
  refresh();
  setInterval(refresh, 5000);
}
