// Forum enhancements: live replies, quoting a selection, @mention suggestions.
// Every page works without this file; it only adds to what the server renders.
import { on, onConnect, send } from "./realtime.js";

const thread = document.getElementById("thread");
const composer = document.querySelector("form.composer-form textarea[name=body]");

// --- Live replies over the one /ws/ socket -------------------------------------------
if (thread) {
  const threadId = Number(thread.dataset.threadId);
  const flat = new URLSearchParams(location.search).get("view") === "flat";
  const fragmentUrl = (postId) => thread.dataset.fragmentUrl.replace("/0/", `/${postId}/`)
    + (flat ? "?view=flat" : "");
  const status = document.getElementById("live-status");
  const replies = document.getElementById("replies");

  const insert = async (event) => {
    if (document.getElementById(`post-${event.number}`)) return;
    // Tree order is path order: the new post goes before the first one whose path sorts after.
    const next = flat ? null : [...replies.querySelectorAll("article.post")].find(
      (element) => element.dataset.path > event.path);
    // Past the replies loaded so far, it will come with «Показать ещё»; only the count moves.
    const more = document.getElementById("replies-more");
    if (more && !next) { countReply(); return; }
    const response = await fetch(fragmentUrl(event.post_id), { credentials: "same-origin" });
    if (!response.ok) return;
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const post = template.content.firstElementChild;
    if (!post) return;
    replies.insertBefore(post, next || more);
    window.htmx?.process(post);
    countReply();
  };

  // «N ответов» follows: the server gave the heading's plural forms, each at a number
  // that takes it; the one in the new count's plural category is the right one.
  const heading = document.getElementById("replies-heading");
  const countReply = () => {
    const count = Number(heading.dataset.count) + 1;
    const forms = JSON.parse(heading.dataset.forms);
    const rules = new Intl.PluralRules(document.documentElement.lang || "ru");
    const sample = Object.keys(forms).find((n) => rules.select(Number(n)) === rules.select(count));
    heading.dataset.count = count;
    heading.textContent = (forms[sample] ?? forms[Object.keys(forms).at(-1)]).replace("{n}", count);
  };

  onConnect(() => send({ type: "forum.subscribe", thread_id: threadId }));
  on("forum.subscribed", () => { status.textContent = status.dataset.live || ""; });
  on("forum.post", (event) => { if (event.thread_id === threadId) insert(event); });
}

// --- Reactions without a reload ---------------------------------------------------------
// Every reaction button submits the page's one form (#react), naming its post and kind;
// here the answer (the post's reactions) replaces them instead of a reload.
document.addEventListener("click", async (event) => {
  const button = event.target.closest?.(".reactions button[name=reaction]");
  if (!button || button.disabled) return;
  event.preventDefault();
  const form = document.getElementById("react");
  const response = await fetch(form.action, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value, "HX-Request": "true" },
    body: new URLSearchParams({ reaction: button.value }),
  });
  if (response.ok) button.closest(".reactions").outerHTML = await response.text();
});

// --- Quote a selection into the reply ----------------------------------------------------
// On mouseup and keyup, so a selection made with the keyboard can be quoted too.
const offerQuote = (event) => {
  const selection = window.getSelection();
  const text = selection?.toString().trim();
  const post = selection?.anchorNode?.parentElement?.closest("article.post");
  // Releasing the mouse on the button itself must leave it be, or its click is lost: a
  // new button would replace it between the mouseup and the click.
  if (event?.target?.closest?.("#quote-button")) return;
  document.getElementById("quote-button")?.remove();
  if (!text || !post) return;
  const button = document.createElement("button");
  button.type = "button";
  button.id = "quote-button";
  button.className = "button button-small quote-button";
  button.textContent = thread.dataset.quoteLabel;
  button.addEventListener("click", () => {
    const author = post.querySelector(".post-author")?.textContent.trim();
    const quoted = text.split("\n").map((line) => `> ${line}`).join("\n");
    composer.value += `${composer.value ? "\n\n" : ""}${quoted}\n> — ${author}\n\n`;
    composer.focus();
    button.remove();
  });
  post.querySelector(".post-head")?.append(button);
};
if (thread && composer) {
  document.addEventListener("mouseup", offerQuote);
  document.addEventListener("keyup", (event) => { if (event.shiftKey) offerQuote(); });
}

// --- @mention suggestions ------------------------------------------------------------
let listCount = 0;
for (const textarea of document.querySelectorAll("textarea[data-mentions-url]")) {
  const list = document.createElement("ul");
  list.id = `mention-suggestions-${++listCount}`;
  list.className = "mention-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", textarea.dataset.mentionsLabel);
  list.hidden = true;
  textarea.after(list);
  // A textarea is a textbox, which may not carry aria-expanded; the list's own label and
  // aria-controls tie the two together, and the list shows or hides itself.
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);
  let controller;

  const show = (visible) => {
    list.hidden = !visible;
  };
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
    show(false);
    textarea.focus();
  };
  const option = (member) => {
    const item = document.createElement("li");
    item.setAttribute("role", "option");
    item.tabIndex = -1;
    item.textContent = `${member.name} (@${member.slug})`;
    item.addEventListener("click", () => choose(member.slug));
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); choose(member.slug); }
      if (event.key === "ArrowDown") { event.preventDefault(); item.nextElementSibling?.focus(); }
      if (event.key === "ArrowUp") {
        event.preventDefault();
        (item.previousElementSibling || textarea).focus();
      }
      if (event.key === "Escape") { show(false); textarea.focus(); }
    });
    return item;
  };

  textarea.addEventListener("input", async () => {
    const word = wordBeforeCaret();
    if (!word) { show(false); return; }
    controller?.abort();
    controller = new AbortController();
    try {
      const url = `${textarea.dataset.mentionsUrl}?q=${encodeURIComponent(word)}`;
      const { members } = await (await fetch(url, { signal: controller.signal })).json();
      list.replaceChildren(...members.map(option));
      show(members.length > 0);
    } catch (error) {
      if (error.name !== "AbortError") show(false);
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !list.hidden) {
      event.preventDefault();
      list.firstElementChild?.focus();
    }
    if (event.key === "Escape") show(false);
  });
}
