// The topic explorer: every topic the viewer may read, with its last payload, rate and retained flag.
// Subscribes to '#' and '$SYS/broker/#' only while the tab is open. textContent only, never innerHTML.

const MAX_TOPICS = 2000;

export class Explorer {
  constructor(root) {
    this.root = root;
    this.topics = new Map();
    this.open = false;
    this.dirty = false;
    setInterval(() => { if (this.open && this.dirty) this.render(); }, 500);
  }

  start(client) {
    this.open = true;
    client.subscribe("#", { qos: 0 });
    client.subscribe("$SYS/broker/#", { qos: 0 });
    this.render();
  }

  stop(client) {
    this.open = false;
    try {
      client.unsubscribe("#");
      client.unsubscribe("$SYS/broker/#");
    } catch (e) { /* not connected */ }
  }

  onMessage(m) {
    if (!this.open) return;
    let t = this.topics.get(m.destinationName);
    if (!t) {
      if (this.topics.size >= MAX_TOPICS) return;
      t = { count: 0, first: Date.now() };
      this.topics.set(m.destinationName, t);
    }
    t.count++;
    t.last = Date.now();
    t.retained = m.retained;
    t.payload = m.payloadString;
    this.dirty = true;
  }

  render() {
    this.dirty = false;
    const rows = [...this.topics.keys()].sort();
    const list = document.createElement("ul");
    list.className = "topics";
    for (const name of rows) {
      const t = this.topics.get(name);
      const li = document.createElement("li");
      li.style.paddingLeft = (name.split("/").length - 1) + "rem";
      const head = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = name;
      const meta = document.createElement("span");
      const minutes = Math.max(1 / 60, (t.last - t.first) / 60000);
      meta.className = "meta";
      meta.textContent = " " + (t.count > 1 ? (t.count / minutes).toFixed(1) + "/min" : "1 message")
        + (t.retained ? " · retained" : "");
      head.append(title, meta);
      const pre = document.createElement("pre");
      pre.textContent = pretty(t.payload);
      li.append(head, pre);
      list.append(li);
    }
    const count = document.createElement("p");
    count.textContent = rows.length + " topic" + (rows.length === 1 ? "" : "s") + " you may read";
    this.root.replaceChildren(count, list);
  }
}

function pretty(text) {
  try {
    const v = JSON.parse(text);
    if (v !== null && typeof v === "object") return JSON.stringify(v, null, 2);
  } catch (e) { /* not JSON: shown as it is */ }
  return text.length > 2000 ? text.slice(0, 2000) + "…" : text;
}
