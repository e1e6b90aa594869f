// Progressive enhancements; every page works without this file.
import { on } from "./realtime.js";
import "./attachments.js";

// The language switcher applies the choice at once; its button stays for no-JS visitors.
const languageSelect = document.getElementById("language-select");
if (languageSelect) {
  languageSelect.addEventListener("change", () => languageSelect.form.requestSubmit());
  languageSelect.form.querySelector("button[type=submit]")?.classList.add("visually-hidden");
}

// The notification badge follows new and read notifications from any tab; the server
// renders it, so its label stays translated and correctly pluralised.
const refreshBadge = () => {
  const badge = document.getElementById("notification-badge");
  if (badge && window.htmx) {
    window.htmx.ajax("GET", badge.dataset.refreshUrl, { target: badge, swap: "outerHTML" });
  }
};
on("notification", refreshBadge);
on("notifications_read", refreshBadge);
