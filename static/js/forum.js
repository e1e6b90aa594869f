// Forum enhancements: live replies, quoting a selection, @mention suggestions.
// Every page works without this file; it only adds to what the server renders.
import { on, onConnect, send } from "./realtime.js";

const thread = document.getElementById("thread");
const composer = document.querySelector("form.composer-form textarea[name=body]");

// --- Live replies over the one /ws/ socket -------------------------------------------
if (thread) {
  const threadId = Number(thread.dataset.threadId);
  const fragmentUrl = (postId) => thread.dataset.fragmentUrl.replace("/0/", `/${postId}/`);
  const status = document.getElementById("live-status");
  const replies = document.getElementById("replies");
  const flat = new URLSearchParams(location.search).get("view") === "flat";

  const insert = async (event) => {
    if (document.getElementById(`post-${event.number}`)) return;
    const response = await fetch(fragmentUrl(event.post_id), { credentials: "same-origin" });
    if (!response.ok) return;
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const post = template.content.firstElementChild;
    if (!post) return;
    // Tree order is path order: the new post goes before the first one whose path sorts after.
    const next = flat ? null : [...replies.querySelectorAll("article.post")].find(
      (element) => element.dataset.path > event.path);
    replies.insertBefore(post, next);
    window.htmx?.process(post);
  };

  onConnect(() => send({ type: "forum.subscribe", thread_id: threadId }));
  on("forum.subscribed", () => { status.textContent = status.dataset.live || ""; });
  on("forum.post", (event) => { if (event.thread_id === threadId) insert(event); });
}

// --- Quote a selection into the reply ----------------------------------------------------
if (thread && composer) {
  document.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    const text = selection?.toString().trim();
    const post = selection?.anchorNode?.parentElement?.closest("article.post");
    document.getElementById("quote-button")?.remove();
    if (!text || !post) return;
    const button = document.createElement("button");
    button.type = "button";
    button.id = "quote-button";
    button.className = "button button-small quote-button";
    button.textContent = thread.dataset.quoteLabel || "Quote";
    button.addEventListener("click", () => {
      const author = post.querySelector(".post-author")?.textContent.trim();
      const quoted = text.split("\n").map((line) => `> ${line}`).join("\n");
      composer.value += `${composer.value ? "\n\n" : ""}${quoted}\n> — ${author}\n\n`;
      composer.focus();
      button.remove();
    });
    post.querySelector(".post-head")?.append(button);
  });
}

// --- @mention suggestions ------------------------------------------------------------
for (const textarea of document.querySelectorAll("textarea[data-composer]")) {
  const list = document.createElement("ul");
  list.className = "mention-suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  textarea.after(list);
  let controller;

  const wordBeforeCaret = () => {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = before.match(/(?:^|\s)@([\p{L}\d-]{1,40})$/u);
    return match ? match[1] : null;
  };
  const choose = (slug) => {
    const start = textarea.selectionStart;
    const before = textarea.value.slice(0, start).replace(/@[\p{L}\d-]{1,40}$/u, `@${slug} `);
    textarea.value = before + textarea.value.slice(start);
    textarea.selectionStart = textarea.selectionEnd = before.length;
    list.hidden = true;
    textarea.focus();
  };

  textarea.addEventListener("input", async () => {
    const word = wordBeforeCaret();
    if (!word) { list.hidden = true; return; }
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`/forum/mentions/?q=${encodeURIComponent(word)}`,
                                   { signal: controller.signal });
      const { members } = await response.json();
      list.replaceChildren(...members.map((member) => {
        const item = document.createElement("li");
        item.setAttribute("role", "option");
        item.tabIndex = 0;
        item.textContent = `${member.name} (@${member.slug})`;
        item.addEventListener("click", () => choose(member.slug));
        item.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); choose(member.slug); } });
        return item;
      }));
      list.hidden = members.length === 0;
    } catch (error) {
      if (error.name !== "AbortError") list.hidden = true;
    }
  });
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); list.firstElementChild?.focus(); }
    if (e.key === "Escape") list.hidden = true;
  });
}
