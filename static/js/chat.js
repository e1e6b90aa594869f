// Chat in the browser: live messages, an outbox that survives reconnects, typing,
// presence and unread counts. Without this file the room still works as plain HTML.
import { on, onConnect, send } from "./realtime.js";

const room = document.getElementById("chat-room");
const list = document.getElementById("chat-messages");
const form = document.getElementById("chat-composer");
const textarea = form?.querySelector("textarea[name=body]");
const template = document.getElementById("message-template");
const labels = document.getElementById("chat-labels")?.dataset ?? {};
const roomId = room ? Number(room.dataset.roomId) : null;
const me = room ? Number(room.dataset.userId) : null;

// Per room, the highest seq below which this tab has missed nothing: the cursor a
// (re)subscription starts from. Every seq a room hands out is broadcast once, so live events
// follow one another without holes; a hole (the layer dropped a broadcast, or two servers'
// broadcasts crossed) that does not fill within GAP_WAIT is fetched by subscribing again
// from the cursor. Resuming from the highest seq seen would skip the lost one for good.
const GAP_WAIT = 1000;
const cursors = new Map();
const ahead = new Map();  // room -> seqs that arrived past a hole
const replaying = new Set();  // rooms whose subscription's replay is still arriving
for (const link of document.querySelectorAll("#room-list a[data-room-id]")) {
  cursors.set(Number(link.dataset.roomId), Number(link.dataset.sequence || 0));
}
if (room) cursors.set(roomId, Number(room.dataset.sequence || 0));

// --- The outbox: sent messages wait here until the server acknowledges them ---------
const OUTBOX_KEY = "nastavnik.chat.outbox";
const outbox = new Map(JSON.parse(localStorage.getItem(OUTBOX_KEY) || "[]"));
const saveOutbox = () => localStorage.setItem(OUTBOX_KEY, JSON.stringify([...outbox]));

const flushOutbox = () => {
  for (const [clientId, frame] of outbox) {
    if (frame.room_id === roomId && !document.querySelector(`[data-client-id="${clientId}"]`)) {
      showPending(frame);
    }
    send({ ...frame, id: clientId });
  }
};

const showPending = (frame) => {
  const item = template.content.firstElementChild.cloneNode(true);
  item.dataset.clientId = frame.client_id;
  item.classList.add("is-pending");
  item.querySelector(".post-author").textContent = room.dataset.userName;
  const body = item.querySelector(".chat-body");
  body.textContent = frame.body;  // plain until the server's cooked HTML arrives
  body.classList.add("is-plain");
  const state = item.querySelector(".chat-state");
  state.textContent = state.dataset.pending;
  list.append(item);
  item.scrollIntoView({ block: "end" });
};

// --- Rendering events ------------------------------------------------------------------
const render = (event) => {
  const existing = document.getElementById(`message-${event.id}`)
    || document.querySelector(`[data-client-id="${CSS.escape(event.client_id)}"]`);
  if (existing && Number(existing.dataset.seq || 0) >= event.seq) return;  // seen already
  const item = template.content.firstElementChild.cloneNode(true);
  item.id = `message-${event.id}`;
  item.dataset.messageId = event.id;
  item.dataset.seq = event.seq;
  item.dataset.createdSeq = event.created_seq;
  const author = item.querySelector(".post-author");
  author.textContent = event.author.name;
  author.href = `/people/${event.author.id}/`;
  const time = item.querySelector("time");
  time.dateTime = event.created_at;
  time.textContent = new Date(event.created_at).toLocaleString(document.documentElement.lang,
    { dateStyle: "short", timeStyle: "short", timeZone: room.dataset.timeZone });
  item.querySelector(".chat-edited").hidden = !event.edited || event.deleted;
  const body = item.querySelector(".chat-body");
  if (event.deleted) {
    item.classList.add("is-deleted");
    body.innerHTML = `<p class="tombstone"></p>`;
    body.firstChild.textContent = labels.deleted;
  } else {
    body.innerHTML = event.html;  // cooked and sanitized by the server's one pipeline
  }
  const quote = item.querySelector(".chat-quote");
  quote.hidden = !event.reply_to;
  if (event.reply_to) {
    quote.querySelector("a").href = `#message-${event.reply_to.id}`;
    quote.querySelector("a").textContent = event.reply_to.author;
    quote.querySelector(".chat-quote-text").textContent =
      event.reply_to.deleted ? labels.deleted : event.reply_to.excerpt;
  }
  const select = item.querySelector(".chat-select");
  if (select) { select.value = event.id; select.hidden = Boolean(event.deleted); }
  const reply = item.querySelector(".chat-reply");
  reply.hidden = Boolean(event.deleted);
  reply.dataset.replyTo = event.id;
  item.querySelector(".chat-reactions").textContent = Object.entries(event.reactions || {})
    .map(([emoji, count]) => `${emoji} ${count}`).join("  ");
  if (existing) {
    existing.replaceWith(item);
  } else {
    // History order is created_seq order: insert before the first later message.
    const later = [...list.querySelectorAll("li[data-created-seq]")].find(
      (el) => Number(el.dataset.createdSeq) > event.created_seq);
    list.insertBefore(item, later || null);
    if (!later) item.scrollIntoView({ block: "end" });
  }
};

const bumpUnread = (id) => {
  const badge = document.querySelector(`[data-unread-for="${id}"]`);
  if (!badge) return;
  badge.textContent = String(Number(badge.textContent || 0) + 1);
  badge.classList.remove("is-empty");
};

const subscribe = (ids) => {
  for (const id of ids) replaying.add(id);
  send({ type: "subscribe",
         rooms: ids.map((id) => ({ room_id: id, cursor: cursors.get(id) || 0 })) });
};

const advance = (id, cursor) => {
  const seqs = ahead.get(id) || new Set();
  let at = Math.max(cursors.get(id) || 0, cursor);
  while (seqs.has(at + 1)) at += 1;
  cursors.set(id, at);
  ahead.set(id, new Set([...seqs].filter((seq) => seq > at)));
};

const track = (id, seq) => {
  // A replay skips the seqs of changes superseded since; its "subscribed" sets the cursor.
  if (replaying.has(id) || seq <= (cursors.get(id) || 0)) return;
  if (!ahead.has(id)) ahead.set(id, new Set());
  ahead.get(id).add(seq);
  advance(id, 0);
  if (ahead.get(id).size) {
    const stuckAt = cursors.get(id);
    setTimeout(() => {
      if (cursors.get(id) === stuckAt && ahead.get(id)?.size && !replaying.has(id)) subscribe([id]);
    }, GAP_WAIT);
  }
};

on("subscribed", (frame) => {
  for (const entry of frame.rooms || []) {
    replaying.delete(entry.room_id);
    advance(entry.room_id, entry.cursor);
  }
  const more = (frame.rooms || []).filter((entry) => entry.more).map((entry) => entry.room_id);
  if (more.length) subscribe(more);  // a long absence: the next batch
});

const onChange = (event) => {
  track(event.room_id, event.seq);
  if (event.room_id === roomId) {
    render(event);
    markRead();
    if (typists.has(event.author.name)) {  // their message arrived: they stopped typing
      clearTimeout(typists.get(event.author.name));
      typists.delete(event.author.name);
      showTyping();
    }
  } else if (event.type === "message" && event.author.id !== me && !event.deleted) {
    bumpUnread(event.room_id);
  }
};
for (const type of ["message", "message_edited", "message_deleted", "reaction"]) {
  on(type, onChange);
}

on("ack", (ack) => {
  outbox.delete(ack.client_id);
  saveOutbox();
  const pending = document.querySelector(`[data-client-id="${CSS.escape(ack.client_id)}"]`);
  if (pending) {
    pending.classList.remove("is-pending", "is-failed");
    pending.querySelector(".chat-state").textContent = "";
  }
});

on("error", (error) => {
  const frame = outbox.get(error.id);
  if (!frame) return;
  const pending = document.querySelector(`[data-client-id="${CSS.escape(error.id)}"]`);
  pending?.classList.add("is-failed");
  const state = pending?.querySelector(".chat-state");
  if (error.code === "rate_limited") {
    if (state) state.textContent = state.dataset.failed;
    setTimeout(() => send({ ...frame, id: error.id }), 5000);
  } else {
    // The server refused it for good (too long, not a member): say why and let it go.
    if (state) state.textContent = error.message;
    outbox.delete(error.id);
    saveOutbox();
  }
});

on("read", (event) => {
  if (event.room_id !== roomId) {
    const badge = document.querySelector(`[data-unread-for="${event.room_id}"]`);
    if (badge) { badge.textContent = ""; badge.classList.add("is-empty"); }
  }
});

// --- Typing and presence ---------------------------------------------------------------
const typing = document.getElementById("typing");
const typists = new Map();
const showTyping = () => {
  const names = [...typists.keys()];
  typing.textContent = names.length === 0 ? ""
    : names.length === 1 ? typing.dataset.one.replace("%(name)s", names[0]) : typing.dataset.many;
};
on("typing", (event) => {
  if (event.room_id !== roomId || event.user.id === me) return;
  clearTimeout(typists.get(event.user.name));
  typists.set(event.user.name, setTimeout(() => {
    typists.delete(event.user.name);
    showTyping();
  }, event.expires_in * 1000));
  showTyping();
});
on("presence", (event) => {
  const member = document.querySelector(`[data-presence-for="${event.user.id}"]`);
  if (!member) return;
  member.classList.add("is-online");
  clearTimeout(member.presenceTimer);
  member.presenceTimer = setTimeout(() => member.classList.remove("is-online"),
                                    event.expires_in * 1000);
});

// --- Connection ------------------------------------------------------------------------
const indicator = document.getElementById("chat-connection");
on("connection", ({ connected }) => {
  if (!indicator) return;
  indicator.textContent = connected ? indicator.dataset.connected : indicator.dataset.disconnected;
  indicator.classList.toggle("is-offline", !connected);
});
onConnect(() => {
  replaying.clear();
  subscribe([...cursors.keys()]);
  send({ type: "presence" });
  flushOutbox();
});
setInterval(() => send({ type: "presence" }), 30000);

// --- Reading ---------------------------------------------------------------------------
let readTimer;
const markRead = () => {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState === "visible" && roomId) {
      send({ type: "read", room_id: roomId, seq: cursors.get(roomId) || 0 });
    }
  }, 500);
};
document.addEventListener("visibilitychange", markRead);

// --- The composer ----------------------------------------------------------------------
const replying = document.getElementById("chat-replying");
const replyField = form?.querySelector("input[name=reply_to]");
const replyTo = (messageId) => {
  const parent = document.getElementById(`message-${messageId}`);
  replyField.value = parent ? messageId : "";
  replying.hidden = !parent;
  if (!parent) return;
  replying.querySelector(".chat-replying-author").textContent =
    parent.querySelector(".post-author").textContent;
  replying.querySelector(".chat-replying-text").textContent =
    parent.querySelector(".chat-body").textContent.trim().slice(0, 140);
  textarea.focus();
};
list?.addEventListener("click", (event) => {
  const link = event.target.closest(".chat-reply");
  if (!link) return;
  event.preventDefault();
  replyTo(link.dataset.replyTo);
});
replying?.querySelector(".chat-replying-cancel").addEventListener("click", (event) => {
  event.preventDefault();
  replyTo(null);
});

if (form && textarea) {
  let lastTyping = 0;
  textarea.addEventListener("input", () => {
    if (Date.now() - lastTyping > 3000) {
      lastTyping = Date.now();
      send({ type: "typing", room_id: roomId });
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing
        && document.querySelector(".mention-suggestions:not([hidden])") === null) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = textarea.value;
    if (!body.trim()) return;
    const frame = { type: "send", room_id: roomId, body, client_id: crypto.randomUUID() };
    if (replyField.value) frame.reply_to = Number(replyField.value);
    outbox.set(frame.client_id, frame);
    saveOutbox();
    showPending(frame);
    send({ ...frame, id: frame.client_id });
    textarea.value = "";
    replyTo(null);
  });
}

// --- Earlier messages and the first unread one ------------------------------------------
const older = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) entry.target.querySelector("a")?.click();
  }
});
const watchOlder = () => {
  const link = list?.querySelector(".load-older");
  if (link) older.observe(link);
};
document.body.addEventListener("htmx:afterSwap", watchOlder);
watchOlder();

if (room) {
  const lastRead = Number(room.dataset.lastRead || 0);
  const firstUnread = [...list.querySelectorAll("li[data-created-seq]")].find(
    (el) => Number(el.dataset.createdSeq) > lastRead);
  const jump = document.getElementById("jump-to-unread");
  if (firstUnread && lastRead) {
    jump.hidden = false;
    jump.addEventListener("click", (event) => {
      event.preventDefault();
      firstUnread.scrollIntoView({ block: "center" });
      firstUnread.classList.add("is-first-unread");
    });
  }
  list.lastElementChild?.scrollIntoView({ block: "end" });
}
