// The notification bell: a live unread badge, and a dropdown of the latest notifications.
// Without this file the bell is a plain link to the notifications page, and it stays one
// for a click that opens a new tab (Ctrl, Shift, the middle button).
import { on } from "./realtime.js";

const menu = document.querySelector(".notification-menu");
const panel = menu?.querySelector(".notification-panel");
// The badge is swapped whole when its count changes: always look it up afresh.
const bell = () => document.getElementById("notification-badge");
let isOpen = false;

// The bell stays a link (it still leads to the page for assistive technology that
// follows it), and says whether its panel is open.
function syncBell() {
  const link = bell();
  if (!link || !panel) return;
  link.setAttribute("aria-controls", panel.id);
  link.setAttribute("aria-expanded", String(isOpen));
}

// The server renders the badge, so its label stays translated and correctly pluralised.
function refreshBadge() {
  const link = bell();
  if (!link || !window.htmx) return;
  window.htmx
    .ajax("GET", link.dataset.refreshUrl, { target: link, swap: "outerHTML" })
    .then(syncBell);
}

function loadPanel() {
  const hadFocus = panel.contains(document.activeElement);
  return window.htmx
    .ajax("GET", menu.dataset.recentUrl, { target: panel, swap: "innerHTML" })
    .then(() => {
      // A reload while the member reads the list must not drop their focus on the page.
      if (isOpen && hadFocus && !panel.contains(document.activeElement)) panel.focus();
    });
}

function open() {
  isOpen = true;
  panel.hidden = false;
  syncBell();
  // Focus goes into the panel, so that Tab walks its notifications next.
  loadPanel().then(() => { if (isOpen) panel.focus(); });
}

function close({ returnFocus = false } = {}) {
  if (!isOpen) return;
  isOpen = false;
  panel.hidden = true;
  syncBell();
  if (returnFocus) bell()?.focus();
}

if (menu && panel && window.htmx) {
  syncBell();
  menu.addEventListener("click", (event) => {
    if (!event.target.closest("#notification-badge")) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (isOpen) close();
    else open();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen) {
      close({ returnFocus: menu.contains(document.activeElement) });
    }
  });
  document.addEventListener("click", (event) => {
    if (isOpen && !menu.contains(event.target)) close();
  });
  // Tabbing out of the panel closes it, as leaving any menu does.
  menu.addEventListener("focusout", (event) => {
    if (isOpen && event.relatedTarget && !menu.contains(event.relatedTarget)) close();
  });
}

// Any tab's news or reading updates the badge, and the open panel with it.
const follow = () => {
  refreshBadge();
  if (isOpen) loadPanel();
};
on("notification", follow);
on("notifications_read", follow);
